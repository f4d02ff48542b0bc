package dev.rewind.examples;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a tutorial's results as one strict JSON document, numbers at full (round-trip) precision.
 * JSON has no NaN or infinity, so a non-finite number is written as the string {@code "NaN"},
 * {@code "Infinity"} or {@code "-Infinity"} (the names Java, JavaScript and Python's {@code
 * float()} read back); every other number is a JSON number.
 */
public final class Json {
  private static final TypeAdapter<Number> FLOATING_POINT = new FloatingPoint();
  private static final Gson GSON =
      new GsonBuilder()
          .registerTypeAdapter(double.class, FLOATING_POINT)
          .registerTypeAdapter(Double.class, FLOATING_POINT)
          .registerTypeAdapter(float.class, FLOATING_POINT)
          .registerTypeAdapter(Float.class, FLOATING_POINT)
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .create();

  private Json() {}

  /** {@code {"tutorial": id, "seed": …, "results": {…}, "plots": […]}}. */
  public static String document(String id, TutorialRun run) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("tutorial", id);
    document.put("seed", run.seed());
    document.put("results", run.results());
    document.put("plots", run.plots().stream().map(Path::toString).toList());
    return GSON.toJson(document);
  }

  /** A double or float: a JSON number when finite, else {@code "NaN"}, {@code "±Infinity"}. */
  private static final class FloatingPoint extends TypeAdapter<Number> {
    @Override
    public void write(JsonWriter out, Number value) throws IOException {
      if (value == null) {
        out.nullValue();
        return;
      }
      double x = value.doubleValue();
      if (Double.isFinite(x)) {
        out.value(value);
      } else {
        out.value(Double.toString(x));
      }
    }

    @Override
    public Number read(JsonReader in) {
      throw new UnsupportedOperationException("results are written, never read back");
    }
  }
}

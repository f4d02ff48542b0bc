package dev.rewind.examples;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a tutorial's results as one JSON document, numbers at full (round-trip) precision. */
public final class Json {
  private static final Gson GSON =
      new GsonBuilder()
          .serializeSpecialFloatingPointValues()
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
}

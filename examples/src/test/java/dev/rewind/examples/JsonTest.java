package dev.rewind.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class JsonTest {

  @Test
  void nonFiniteNumbersAreWrittenAsStringsThatAStrictParserAccepts() {
    TutorialRun run = new TutorialRun(7, java.nio.file.Path.of("unused"), null);
    run.result("nan", Double.NaN);
    run.result("series", new double[] {1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
    run.result("rows", List.of(new double[] {Double.NaN, 0.25}));
    run.result("float", Float.NaN);

    JsonObject results =
        StrictJson.parse(Json.document("t", run)).getAsJsonObject().getAsJsonObject("results");

    assertEquals("NaN", results.get("nan").getAsString());
    JsonArray series = results.getAsJsonArray("series");
    assertEquals(1.5, series.get(0).getAsDouble());
    assertEquals("Infinity", series.get(1).getAsString());
    assertEquals("-Infinity", series.get(2).getAsString());
    assertEquals(
        "NaN", results.getAsJsonArray("rows").get(0).getAsJsonArray().get(0).getAsString());
    assertEquals("NaN", results.get("float").getAsString());
  }

  @Test
  void finiteNumbersKeepFullPrecision() {
    TutorialRun run = new TutorialRun(7, java.nio.file.Path.of("unused"), null);
    run.result("third", 1.0 / 3);
    run.result("tiny", 1e-300);
    run.result("count", 12);

    JsonObject results =
        StrictJson.parse(Json.document("t", run)).getAsJsonObject().getAsJsonObject("results");

    assertEquals(1.0 / 3, results.get("third").getAsDouble());
    assertEquals(1e-300, results.get("tiny").getAsDouble());
    assertEquals("12", results.get("count").toString());
  }

  @Test
  void theStrictParserRejectsBareNaN() {
    Executable parse = () -> StrictJson.parse("{\"x\": NaN}");
    org.junit.jupiter.api.Assertions.assertThrows(JsonSyntaxException.class, parse);
  }
}

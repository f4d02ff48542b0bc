package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code example1-elman} tutorial reproduces Example 1 of note 000_a414762ec7da5e42.txt. */
class Example1ElmanTutorialTest {
  private static final String ID = "example1-elman";
  @TempDir static Path folder;
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial() throws Exception {
    run = NotesTutorialChecks.run(ID, folder);
  }

  @Test
  void everyPrintedValueOfTheNoteIsReproducedToTwoDecimals() {
    List<double[]> h = NotesTutorialChecks.rows(run, "h");
    List<double[]> y = NotesTutorialChecks.rows(run, "y");
    assertEquals(4, h.size());
    for (int t = 0; t < 4; t++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(Example1ElmanTutorial.NOTES_H[t][j], h.get(t)[j], 0.005, "h(" + (t + 1) + ")");
      }
      for (int k = 0; k < 2; k++) {
        assertEquals(Example1ElmanTutorial.NOTES_Y[t][k], y.get(t)[k], 0.005, "y(" + (t + 1) + ")");
      }
    }
    assertEquals(true, run.results().get("agreesWithNotes"));
    assertTrue(NotesTutorialChecks.number(run, "largestDifferenceFromNotes") <= 0.005);
  }

  @Test
  void exactValuesFollowTheNotesEquationsWrittenOut() {
    double[][] u = Example1ElmanTutorial.U;
    double[][] w = Example1ElmanTutorial.W;
    double[][] v = Example1ElmanTutorial.V;
    double[] h = new double[3];
    for (int t = 0; t < 4; t++) {
      double[] x = Example1ElmanTutorial.X[t];
      double[] next = new double[3];
      for (int j = 0; j < 3; j++) {
        double z = Example1ElmanTutorial.B[j];
        for (int i = 0; i < 2; i++) {
          z += u[i][j] * x[i];
        }
        for (int i = 0; i < 3; i++) {
          z += w[i][j] * h[i];
        }
        next[j] = Math.tanh(z);
      }
      h = next;
      for (int k = 0; k < 2; k++) {
        double z = Example1ElmanTutorial.C[k];
        for (int j = 0; j < 3; j++) {
          z += v[j][k] * h[j];
        }
        assertEquals(1 / (1 + Math.exp(-z)), NotesTutorialChecks.rows(run, "y").get(t)[k], 1e-12);
      }
      for (int j = 0; j < 3; j++) {
        assertEquals(h[j], NotesTutorialChecks.rows(run, "h").get(t)[j], 1e-12);
      }
    }
  }

  @Test
  void theWordsShowEachValueBesideTheNotes(@TempDir Path words) throws Exception {
    String text = NotesTutorialChecks.narration(ID, words);
    assertTrue(text.contains("h(1) = ( 0.20,  0.72, -1.00)   note: ( 0.20,  0.72, -1.00)"), text);
    assertTrue(text.contains("y(4) = ( 0.55,  0.68)"), text);
    assertTrue(text.contains("exact: ( 0.309319,  0.708592,  0.787222)"), text);
  }

  @Test
  void writesNoPlotAndItsResultsParseAsJson() {
    assertTrue(run.plots().isEmpty());
    JsonObject results =
        NotesTutorialChecks.parsesAsJson(
            ID, run, List.of("h", "y", "notesH", "notesY", "largestDifferenceFromNotes"));
    assertEquals(4, results.getAsJsonArray("h").size());
    assertEquals(
        NotesTutorialChecks.rows(run, "h").get(3)[2],
        results.getAsJsonArray("h").get(3).getAsJsonArray().get(2).getAsDouble());
  }
}

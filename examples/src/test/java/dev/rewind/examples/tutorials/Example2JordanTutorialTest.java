package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code example2-jordan} tutorial reproduces Example 2 of note 000_a414762ec7da5e42.txt. */
class Example2JordanTutorialTest {
  private static final String ID = "example2-jordan";
  @TempDir static Path folder;
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial() throws Exception {
    run = NotesTutorialChecks.run(ID, folder);
  }

  @Test
  void everyPrintedValueOfTheNoteIsReproducedToTwoDecimals() {
    @SuppressWarnings("unchecked")
    List<double[][]> h = (List<double[][]>) run.results().get("h");
    List<double[]> y = NotesTutorialChecks.rows(run, "y");
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 2; p++) {
        for (int j = 0; j < 3; j++) {
          assertEquals(
              Example2JordanTutorial.NOTES_H[t][p][j],
              h.get(t)[p][j],
              0.005,
              "H(" + (t + 1) + ") row " + (p + 1));
        }
        assertEquals(
            Example2JordanTutorial.NOTES_Y[t][p], y.get(t)[p], 0.005, "Y(" + (t + 1) + ")");
      }
    }
    assertEquals(true, run.results().get("agreesWithNotes"));
  }

  @Test
  void onlyY2ReproducesTheNotesH3() {
    double[] withY2 = NotesTutorialChecks.numbers(run, "h3Row1WithY2");
    double[] withY1 = NotesTutorialChecks.numbers(run, "h3Row1WithY1");
    assertEquals(0.92, withY2[1], 0.005);
    assertEquals(0.72, withY1[1], 0.005);
  }

  @Test
  void theWordsPointOutTheNotesSlipAtStepThree(@TempDir Path words) throws Exception {
    String text = NotesTutorialChecks.narration(ID, words);
    assertTrue(text.contains("H(3) row 1 = ( 1.00,  0.92, -1.00)   note: ( 1.00,  0.92, -1.00)"));
    assertTrue(text.contains("Y(3)       = ( 0.63,  0.04)"), text);
    assertTrue(text.contains("So Y(2) is right"), text);
  }

  @Test
  void writesNoPlotAndItsResultsParseAsJson() {
    assertTrue(run.plots().isEmpty());
    NotesTutorialChecks.parsesAsJson(ID, run, List.of("h", "y", "h3Row1WithY1", "h3Row1WithY2"));
  }
}

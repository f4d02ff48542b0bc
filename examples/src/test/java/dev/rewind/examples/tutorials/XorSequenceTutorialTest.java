package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code xor-sequence} tutorial learns note 003_7bf26e67bbf9cc0b.txt's XOR stream. */
class XorSequenceTutorialTest {
  private static final String ID = "xor-sequence";
  @TempDir static Path folder;
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial() throws Exception {
    run = NotesTutorialChecks.run(ID, folder);
  }

  @Test
  void theXorBitsArePredictedAndTheCoinFlipsAreNot() {
    assertTrue(NotesTutorialChecks.number(run, "xorAccuracy") > 0.95);
    assertEquals(0.5, NotesTutorialChecks.number(run, "otherAccuracy"), 0.1);
  }

  @Test
  void onlyTheLossOnTheXorBitsFalls() {
    double[] xor = NotesTutorialChecks.numbers(run, "xorLosses");
    double[] other = NotesTutorialChecks.numbers(run, "otherLosses");
    int end = xor.length;
    assertTrue(NotesTutorialChecks.mean(xor, end - 50, end) < 0.3);
    assertTrue(NotesTutorialChecks.mean(other, end - 50, end) > Math.log(2) - 0.05);
  }

  @Test
  void theErrorDipsAtEveryThirdBitOfTheRandomRows() {
    double[] error = NotesTutorialChecks.numbers(run, "errorByPosition");
    // target t is bit t + 1 of the stream; the random rows start at bit 12 (t = 11)
    for (int t = 11; t < error.length; t++) {
      if (t % 3 == 1) {
        assertTrue(error[t] < 0.25, "XOR target " + t + ": " + error[t]);
      } else {
        assertTrue(error[t] > 0.35, "coin-flip target " + t + ": " + error[t]);
      }
    }
  }

  @Test
  void writesBothPlotsAsPngAndParsesAsJson() throws Exception {
    NotesTutorialChecks.wroteValidPngs(run, folder, "learning-curve.png", "error-by-position.png");
    NotesTutorialChecks.parsesAsJson(ID, run, List.of("xorAccuracy", "otherAccuracy", "losses"));
  }
}

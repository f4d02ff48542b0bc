package dev.rewind.datasets.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Reber grammar of Hochreiter &amp; Schmidhuber 1997 (their figure 3), hand-checked. */
class ReberGrammarTest {

  @ParameterizedTest
  @ValueSource(strings = {"BTXSE", "BPVVE", "BTSSXXTVVE", "BPTVPXVVE", "BTXXVPSE", "BPTTVVE"})
  void reberStringsAreAccepted(String text) {
    assertTrue(Reber.grammar().accepts(text), text);
    assertTrue(ReberRegex.REBER.matcher(text).matches(), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "B", "BTXS", "BTXSEE", "BTSE", "BPVPE", "TXSE", "BTXXVVEX"})
  void nonReberStringsAreRejected(String text) {
    assertFalse(Reber.grammar().accepts(text), text);
    assertFalse(ReberRegex.REBER.matcher(text).matches(), text);
  }

  @Test
  void embeddedStringsRepeatTheSecondSymbolBeforeTheLastE() {
    assertTrue(Reber.embedded().accepts("BTBTXSETE"));
    assertTrue(Reber.embedded().accepts("BPBPVVEPE"));
    assertFalse(Reber.embedded().accepts("BTBTXSEPE"));
    assertFalse(Reber.embedded().accepts("BPBPVVETE"));
  }

  @Test
  void validNextSymbolsOfAHandCheckedString() {
    // B T B T X S E T E: after B → T|P; after T → B; after B → T|P; after T → S|X; after X → X|S;
    // after S → E; after the inner E → T (the symbol after the first B); after T → E.
    List<String> next = Reber.embedded().validNextSymbols("BTBTXSETE");

    assertEquals(List.of("TP", "B", "TP", "SX", "XS", "E", "T", "E"), next);
  }

  @Test
  void lengthBoundsThatHoldNoStringNameTheShortest() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Reber.grammar().sample(1, 2, 4, new Random(0)));

    assertEquals(
        "Reber grammar: no string has a length in [2, 4]; the shortest has 5", e.getMessage());
  }

  @Test
  void aNonDeterministicGrammarIsRejected() {
    Grammar.Builder builder = Grammar.builder("g", "ab").edge(0, 'a', 1);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.edge(0, 'a', 2));

    assertEquals(
        "g: state 0 already reads 'a' (to state 1); the grammar must be deterministic",
        e.getMessage());
  }
}

package dev.rewind.datasets.benchmarks;

/**
 * The Reber grammar (Reber 1967) and the embedded Reber grammar (Fahlman 1991; Hochreiter &amp;
 * Schmidhuber 1997), over the seven symbols B, T, P, S, X, V, E.
 *
 * <pre>
 *   Reber, as states and edges (state 7 is final):
 *     0 ─B→ 1
 *     1 ─T→ 2    1 ─P→ 3
 *     2 ─S→ 2    2 ─X→ 4        (after T: S repeated, then X)
 *     3 ─T→ 3    3 ─V→ 5        (after P, or after X X: T repeated, then V)
 *     4 ─X→ 3    4 ─S→ 6
 *     5 ─P→ 4    5 ─V→ 6
 *     6 ─E→ 7
 *
 *   embedded Reber:  B T (a Reber string) T E   or   B P (a Reber string) P E
 * </pre>
 *
 * In the embedded form the symbol after the first B must be repeated just before the last E, so a
 * network has to carry it across the whole inner string; the inner string's symbols can be
 * predicted from recent context alone.
 */
public final class Reber {
  /** The symbols, in one-hot order. */
  public static final String ALPHABET = "BTPSXVE";

  private static final int REBER_STATES = 8;

  private static final Grammar REBER = buildReber();
  private static final Grammar EMBEDDED = buildEmbedded();

  private Reber() {}

  /** The Reber grammar: BTXSE, BPVVE, BTSSXXTVVE, … */
  public static Grammar grammar() {
    return REBER;
  }

  /** The embedded Reber grammar: BTBTXSETE, BPBPVVEPE, … */
  public static Grammar embedded() {
    return EMBEDDED;
  }

  private static Grammar buildReber() {
    Grammar.Builder builder = Grammar.builder("Reber grammar", ALPHABET);
    addReber(builder, 0);
    return builder.build(0, REBER_STATES - 1);
  }

  private static Grammar buildEmbedded() {
    Grammar.Builder builder = Grammar.builder("embedded Reber grammar", ALPHABET);
    int withT = 2;
    int withP = withT + REBER_STATES;
    int beforeEnd = withP + REBER_STATES;
    int end = beforeEnd + 1;
    builder.edge(0, 'B', 1).edge(1, 'T', withT).edge(1, 'P', withP);
    addReber(builder, withT);
    addReber(builder, withP);
    builder.edge(withT + REBER_STATES - 1, 'T', beforeEnd);
    builder.edge(withP + REBER_STATES - 1, 'P', beforeEnd);
    builder.edge(beforeEnd, 'E', end);
    return builder.build(0, end);
  }

  /** The Reber grammar's states, numbered from {@code offset}. */
  private static void addReber(Grammar.Builder builder, int offset) {
    int[][] edges = {
      {0, 'B', 1}, {1, 'T', 2}, {1, 'P', 3}, {2, 'S', 2}, {2, 'X', 4}, {3, 'T', 3},
      {3, 'V', 5}, {4, 'X', 3}, {4, 'S', 6}, {5, 'P', 4}, {5, 'V', 6}, {6, 'E', 7}
    };
    for (int[] edge : edges) {
      builder.edge(offset + edge[0], (char) edge[1], offset + edge[2]);
    }
  }
}

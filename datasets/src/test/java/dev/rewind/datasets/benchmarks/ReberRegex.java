package dev.rewind.datasets.benchmarks;

import java.util.regex.Pattern;

/**
 * The Reber languages written as regular expressions, derived by hand from the state diagram: an
 * oracle independent of {@link Grammar}'s automaton. From the state after X or P-loop exit: {@code
 * L4 = (X T* V P)* (X T* V V | S) E}.
 */
final class ReberRegex {
  private static final String INNER = "B(?:(?:TS*X|PT*VP)(?:XT*VP)*(?:XT*VV|S)|PT*VV)E";

  static final Pattern REBER = Pattern.compile(INNER);
  static final Pattern EMBEDDED = Pattern.compile("B(?:T" + INNER + "T|P" + INNER + "P)E");

  private ReberRegex() {}
}

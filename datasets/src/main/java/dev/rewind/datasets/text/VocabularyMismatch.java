package dev.rewind.datasets.text;

import dev.rewind.datasets.DatasetException;
import java.util.ArrayList;
import java.util.List;

/** Compares a checkpoint's vocabulary with the current one and says how they differ. */
final class VocabularyMismatch {
  private static final int LISTED = 10;

  private VocabularyMismatch() {}

  static void checkCovers(Vocabulary saved, Vocabulary current, String currentName) {
    List<Integer> added = missingFrom(saved, current);
    if (!added.isEmpty()) {
      throw new DatasetException(
          header(saved, current, currentName) + " (new: " + list(added) + ")");
    }
  }

  static void checkSame(Vocabulary saved, Vocabulary current, String currentName) {
    if (saved.equals(current)) {
      return;
    }
    List<Integer> added = missingFrom(saved, current);
    List<Integer> removed = missingFrom(current, saved);
    if (added.isEmpty() && removed.isEmpty()) {
      throw new DatasetException(
          String.format(
              "vocabulary mismatch: checkpoint and %s have the same %s in a different order",
              currentName, Messages.count(saved.size(), "symbol")));
    }
    List<String> differences = new ArrayList<>();
    if (!added.isEmpty()) {
      differences.add("new: " + list(added));
    }
    if (!removed.isEmpty()) {
      differences.add("missing: " + list(removed));
    }
    throw new DatasetException(
        header(saved, current, currentName) + " (" + String.join("; ", differences) + ")");
  }

  private static String header(Vocabulary saved, Vocabulary current, String currentName) {
    return String.format(
        "vocabulary mismatch: checkpoint has %s, %s has %s",
        Messages.count(saved.size(), "symbol"), currentName, Messages.number(current.size()));
  }

  /** The symbols of {@code from} that {@code reference} lacks, in {@code from}'s order. */
  private static List<Integer> missingFrom(Vocabulary reference, Vocabulary from) {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      if (!reference.contains(from.symbol(i))) {
        missing.add(from.symbol(i));
      }
    }
    return missing;
  }

  private static String list(List<Integer> codePoints) {
    return Messages.symbols(codePoints, LISTED);
  }
}

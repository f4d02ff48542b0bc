package dev.rewind.examples.tutorials;

import com.google.common.collect.ImmutableList;
import dev.rewind.examples.Tutorial;

/**
 * The tutorials on the worked examples of notes 000, 001 and 003, and the input/output scenarios.
 */
public final class NotesTutorials {
  private NotesTutorials() {}

  public static ImmutableList<Tutorial> all() {
    return ImmutableList.of();
  }
}

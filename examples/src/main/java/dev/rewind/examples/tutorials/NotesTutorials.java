package dev.rewind.examples.tutorials;

import com.google.common.collect.ImmutableList;
import dev.rewind.examples.Tutorial;

/**
 * The tutorials on the worked examples of notes 000, 001 and 003, and the input/output scenarios.
 */
public final class NotesTutorials {
  private static final ImmutableList<Tutorial> ALL =
      ImmutableList.of(
          new Example1ElmanTutorial(),
          new Example2JordanTutorial(),
          new Example3TrainingTutorial(),
          new ParityTutorial(),
          new XorSequenceTutorial(),
          new ManyToOneTutorial(),
          new OneToManyTutorial());

  private NotesTutorials() {}

  /** The tutorials in the order a reader should meet them: the notes' order. */
  public static ImmutableList<Tutorial> all() {
    return ALL;
  }
}

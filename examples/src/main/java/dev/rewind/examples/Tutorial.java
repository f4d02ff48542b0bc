package dev.rewind.examples;

/**
 * One runnable worked example of the notes: it computes, explains what it shows in plain words and
 * numbers through its {@link TutorialRun}, and writes its plots as PNG files.
 */
public interface Tutorial {

  /** The id used on the command line, such as {@code example1-elman}. */
  String id();

  /** One line saying what the tutorial shows. */
  String summary();

  /** Runs the tutorial; everything it reports goes through {@code run}. */
  void run(TutorialRun run) throws Exception;
}

package dev.rewind.datasets;

/**
 * Data that cannot be used as asked: a missing, empty, non-UTF-8 or too-short file, a window longer
 * than its corpus, a vocabulary that does not match the one a run was trained with. The message
 * names the file (or corpus) and the numbers involved, for example {@code corpus.txt: not valid
 * UTF-8 at byte 1,234}.
 */
public final class DatasetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}

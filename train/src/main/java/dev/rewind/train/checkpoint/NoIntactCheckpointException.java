package dev.rewind.train.checkpoint;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder whose checkpoints are all damaged: none passes {@link Checkpoint#verify}. The message
 * names the folder, how many there are and the newest one's problem; {@link #problems} holds each
 * one's, newest first.
 */
public final class NoIntactCheckpointException extends CheckpointException {
  private static final long serialVersionUID = 1L;

  private final ImmutableList<String> problems;

  NoIntactCheckpointException(Path folder, List<CheckpointException> damaged) {
    super(
        folder,
        "none of the "
            + damaged.size()
            + " checkpoints is intact; the newest: "
            + damaged.get(0).getMessage(),
        damaged.get(0));
    this.problems =
        damaged.stream().map(Throwable::getMessage).collect(ImmutableList.toImmutableList());
  }

  /** Each checkpoint's problem, newest first, as {@code FILE: reason}. */
  public ImmutableList<String> problems() {
    return problems;
  }
}

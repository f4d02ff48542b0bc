package dev.rewind.train.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be written, or cannot be read into this model and optimizer: a broken or
 * hostile file, a checksum that does not match, a parameter of another shape, another optimizer.
 * The message names the file and the first difference, such as {@code runs/step-000120.ckpt:
 * layers.0.weightHh has shape [8, 8], the model expects [16, 16]}. When reading fails, the model
 * and the optimizer are as they were.
 */
public sealed class CheckpointException extends IOException permits NoIntactCheckpointException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public CheckpointException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }

  /** Wraps an exception whose message already names the file, such as a safetensors error. */
  static CheckpointException wrapping(IOException cause) {
    return new CheckpointException(cause.getMessage(), cause);
  }

  private CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.rewind.autodiff.io;

import java.io.IOException;

/**
 * A file that is not valid safetensors: its message names the file and the broken rule, such as
 * {@code model.safetensors: tensor 'W' is F64 of shape [2, 3], which needs 48 bytes, but its
 * data_offsets [0, 40] hold 40}.
 */
public final class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  public SafetensorsException(String message) {
    super(message);
  }
}

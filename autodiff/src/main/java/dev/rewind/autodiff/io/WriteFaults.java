package dev.rewind.autodiff.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Where an atomic write can be made to fail on purpose: before the temporary file is created (a
 * read-only folder), while its bytes are written (a full disk), before it is forced to disk, and
 * before it is renamed over the target. A seam for tests; {@link #NONE} everywhere else.
 */
public interface WriteFaults {
  WriteFaults NONE = new WriteFaults() {};

  default void beforeCreate(Path folder) throws IOException {}

  default OutputStream wrap(OutputStream out) {
    return out;
  }

  default void beforeForce(Path temporary) throws IOException {}

  default void beforeMove(Path temporary, Path target) throws IOException {}
}

package dev.rewind.autodiff.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file replaced atomically: the new content or the old, the umask's permissions, no leftovers.
 */
class AtomicWriteTest {
  @TempDir Path folder;

  @Test
  void aWrittenFileGetsThePermissionsOfAnyNewFileUnderTheUmask() throws IOException {
    assumeTrue(Files.getFileStore(folder).supportsFileAttributeView("posix"), "POSIX permissions");
    Path plain = Files.createFile(folder.resolve("plain.bin")); // created as programs create files
    Path written = folder.resolve("written.bin");

    AtomicWrite.write(written, out -> out.write(new byte[] {1, 2, 3}));

    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
    Path target = Files.write(folder.resolve("model.bin"), new byte[] {7, 7});

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicWrite.write(
                    target,
                    out -> {
                      out.write(new byte[] {1, 2, 3});
                      throw new IOException("No space left on device");
                    }));

    assertTrue(e.getMessage().startsWith(target + ": could not be written"), e.getMessage());
    assertTrue(e.getMessage().endsWith("the previous file is untouched"), e.getMessage());
    assertArrayEquals(new byte[] {7, 7}, Files.readAllBytes(target));
    assertEquals(List.of(target), files());
  }

  @Test
  void anotherWritersTemporaryFileIsLeftAlone() throws IOException {
    Path target = folder.resolve("model.bin");
    Path theirs =
        Files.write(
            folder.resolve(AtomicWrite.temporaryPrefix(target) + "theirs.tmp"), new byte[1]);

    AtomicWrite.write(target, out -> out.write(new byte[] {4, 5}));

    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(target));
    assertEquals(List.of(theirs, target).stream().sorted().toList(), files());
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }
}

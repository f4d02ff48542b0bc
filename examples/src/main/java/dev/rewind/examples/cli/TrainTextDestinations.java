package dev.rewind.examples.cli;

import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.datasets.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks, before a {@code train-text} run begins, every place it will write: each folder must be a
 * folder (or creatable, under a folder) that this process can write in, each file must not be a
 * folder, not the training text, not another destination, and, if it exists, a file of the kind the
 * run writes there, so that nothing a user keeps is overwritten. A problem is one line naming the
 * option and the path.
 */
final class TrainTextDestinations {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** The kinds of files a run writes, each recognised by its content. */
  enum Kind {
    MODEL("a model saved by rewind", "model.safetensors"),
    VOCABULARY("a vocabulary saved by rewind", "model.vocabulary.txt"),
    PNG("a PNG image", "learning-curve.png");

    private final String description;
    private final String example;

    Kind(String description, String example) {
      this.description = description;
      this.example = example;
    }
  }

  private static final Pattern CHECKPOINT_NAME = Pattern.compile("step-[0-9]{6,19}\\.ckpt");

  private final Path input;
  private final Map<Path, String> files = new HashMap<>();
  private final Map<Path, String> folders = new HashMap<>();
  private Path checkpointFolder;

  /**
   * @param input the training text, never written; null for the built-in corpus
   */
  TrainTextDestinations(Path input) {
    this.input = input;
  }

  /** Checks that {@code folder}, given as {@code option}, is or can become a writable folder. */
  void folder(String option, Path folder) {
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw refused(option, folder, "is a file, not a folder");
    }
    writableFolder(option, folder, folder);
    folders.putIfAbsent(key(folder), option);
  }

  /**
   * As {@link #folder}, for the folder of training checkpoints: a file named as a checkpoint in it
   * would be taken for one, and pruned.
   */
  void checkpointFolder(String option, Path folder) {
    folder(option, folder);
    checkpointFolder = key(folder);
  }

  private static Path key(Path path) {
    return path.toAbsolutePath().normalize();
  }

  /**
   * Checks that {@code file}, given as {@code option}, can be written with a file of {@code kind}.
   */
  void file(String option, Path file, Kind kind) {
    if (Files.isDirectory(file)) {
      throw refused(
          option, file, "is a folder; name a file in it, such as " + file.resolve(kind.example));
    }
    if (input != null && sameFile(file, input)) {
      throw refused(option, file, "is the training text; name another file");
    }
    Path key = key(file);
    String folder = folders.get(key);
    if (folder != null) {
      throw refused(option, file, "is the " + folder + " folder; name a file in it");
    }
    if (key.getParent() != null
        && key.getParent().equals(checkpointFolder)
        && CHECKPOINT_NAME.matcher(key.getFileName().toString()).matches()) {
      throw refused(
          option,
          file,
          "is named as a training checkpoint in the --checkpoints folder, where it would be"
              + " taken for one and pruned; name another file");
    }
    String other = files.putIfAbsent(key, option);
    if (other != null) {
      throw refused(option, file, "is also where " + other + " goes; name another file");
    }
    if (Files.exists(file) && !isKind(file, kind)) {
      throw refused(
          option,
          file,
          "exists and is not "
              + kind.description
              + "; move it away or name another file (it is never overwritten)");
    }
    Path parent = file.getParent();
    writableFolder(option, file, parent != null ? parent : Path.of(""));
  }

  /**
   * Checks that {@code folder} exists and can be written in, or that its nearest existing ancestor
   * is a folder that can.
   */
  private static void writableFolder(String option, Path given, Path folder) {
    // NOTE: walked as given, so that messages show the user's own relative path.
    Path existing = folder;
    while (!Files.exists(existing)) {
      Path parent = existing.getParent();
      existing = parent != null ? parent : existing.isAbsolute() ? existing : Path.of("");
      if (parent == null) {
        break;
      }
    }
    String shown = existing.toString().isEmpty() ? "the current folder" : existing.toString();
    if (!Files.isDirectory(existing)) {
      throw refused(option, given, shown + " is a file, not a folder");
    }
    if (!canCreateFileIn(existing)) {
      throw refused(option, given, "cannot write in " + shown + " (read-only, or no permission)");
    }
  }

  private static boolean canCreateFileIn(Path folder) {
    if (!Files.isWritable(folder)) {
      return false;
    }
    try {
      Path probe = Files.createTempFile(folder, ".rewind-write-check", ".tmp");
      Files.delete(probe);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException e) {
      // compared by name below
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private static boolean isKind(Path file, Kind kind) {
    try {
      switch (kind) {
        case MODEL -> {
          return Safetensors.readHeader(file).shapes().containsKey("readout.weight");
        }
        case VOCABULARY -> {
          return Vocabulary.load(file).size() > 0;
        }
        case PNG -> {
          try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(PNG_SIGNATURE, in.readNBytes(PNG_SIGNATURE.length));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  private static IllegalArgumentException refused(String option, Path path, String problem) {
    return new IllegalArgumentException(option + " " + path + ": " + problem);
  }
}

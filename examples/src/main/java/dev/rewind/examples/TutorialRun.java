package dev.rewind.examples;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.errorprone.annotations.FormatMethod;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What a tutorial reports while it runs: sentences for a reader, named results for {@code --json}
 * (at full precision), and the plots it writes to the output folder. The seed is explicit: the same
 * seed gives the same numbers on every run.
 */
public final class TutorialRun {
  private final long seed;
  private final Path outputDirectory;
  private final PrintStream narration;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<Path> plots = new ArrayList<>();

  /**
   * @param narration where sentences go; {@code null} to keep them out of stdout (for {@code
   *     --json}, whose only output is the JSON document)
   */
  public TutorialRun(long seed, Path outputDirectory, PrintStream narration) {
    this.seed = seed;
    this.outputDirectory = outputDirectory;
    this.narration = narration;
  }

  public long seed() {
    return seed;
  }

  /** A generator seeded with this run's seed; each call starts the same sequence again. */
  public Random random() {
    return new Random(seed);
  }

  /** Tells the reader something, formatted with {@link String#format} in the root locale. */
  @FormatMethod
  public void say(String format, Object... args) {
    if (narration != null) {
      narration.println(String.format(Locale.ROOT, format, args));
    }
  }

  /**
   * Records a named result for {@code --json}: a number, a string, a boolean, an array of numbers,
   * a list or a map of those. Names are unique within a run.
   */
  public void result(String name, Object value) {
    checkArgument(!results.containsKey(name), "result '%s' is recorded twice", name);
    results.put(name, value);
  }

  /** The path of a plot named {@code name} (a file name ending in .png) in the output folder. */
  public Path plot(String name) {
    checkArgument(name.endsWith(".png"), "plot '%s' must be a .png file", name);
    try {
      Files.createDirectories(outputDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + outputDirectory, e);
    }
    Path path = outputDirectory.resolve(name);
    plots.add(path);
    return path;
  }

  public Map<String, Object> results() {
    return results;
  }

  public List<Path> plots() {
    return plots;
  }
}

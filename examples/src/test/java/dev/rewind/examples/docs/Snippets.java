package dev.rewind.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads the ```java blocks (and the ```output block after each) of Markdown pages. */
final class Snippets {
  private static final String FENCE = "```";
  // Its blocks need Spark, which nothing here depends on: the spark module's SparkGuideTest runs
  // them.
  private static final String SPARK_PAGE = "spark.md";

  private Snippets() {}

  /**
   * Every snippet of {@code README.md} and of the pages under {@code docs/} but the Spark page, in
   * page order.
   */
  static List<Snippet> ofRepository(Path root) throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !p.endsWith(SPARK_PAGE))
          .sorted()
          .forEach(pages::add);
    }
    List<Snippet> snippets = new ArrayList<>();
    for (Path page : pages) {
      snippets.addAll(of(root.relativize(page), Files.readString(page, StandardCharsets.UTF_8)));
    }
    return snippets;
  }

  /** The snippets of one page; {@code page} names it in messages. */
  static List<Snippet> of(Path page, String markdown) {
    List<String> lines = markdown.lines().toList();
    List<Snippet> snippets = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      if (!lines.get(i).strip().equals(FENCE + "java")) {
        i++;
        continue;
      }
      int start = i + 1;
      int end = closingFence(page, lines, start);
      String code = String.join("\n", lines.subList(start, end)) + "\n";
      int next = end + 1;
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      Optional<String> output = Optional.empty();
      if (next < lines.size() && lines.get(next).strip().equals(FENCE + "output")) {
        int outputEnd = closingFence(page, lines, next + 1);
        output = Optional.of(String.join("\n", lines.subList(next + 1, outputEnd)));
        end = outputEnd;
      }
      snippets.add(new Snippet(page, start + 1, code, output));
      i = end + 1;
    }
    return snippets;
  }

  private static int closingFence(Path page, List<String> lines, int from) {
    for (int j = from; j < lines.size(); j++) {
      if (lines.get(j).strip().equals(FENCE)) {
        return j;
      }
    }
    throw new UncheckedIOException(
        new IOException(page + ":" + from + ": a code block is never closed"));
  }
}

package dev.rewind.examples.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The front page stays a front page, and every link between the pages leads somewhere. */
class DocumentationLinksTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#+ (.+)$", Pattern.MULTILINE);

  @Test
  void theReadmeIsAFrontPageOfAtMost200Lines() throws IOException {
    long lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8).size();
    assertTrue(lines <= 200, "README.md has " + lines + " lines; the manual is docs/");
  }

  @Test
  void everyRelativeLinkReachesAFileAndHeadingThatExist() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      String markdown = withoutCodeBlocks(Files.readString(page, StandardCharsets.UTF_8));
      Matcher link = LINK.matcher(markdown);
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // https:, mailto: — outside the repository
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path reached = file.isEmpty() ? page : page.resolveSibling(file).normalize();
        if (!Files.exists(reached)) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
        } else if (hash >= 0 && !anchors(reached).contains(target.substring(hash + 1))) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
        }
      }
    }
    assertTrue(broken.isEmpty(), () -> "broken links:\n" + String.join("\n", broken));
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages =
        new ArrayList<>(
            List.of(
                ROOT.resolve("README.md"),
                ROOT.resolve("ARCHITECTURE.md"),
                ROOT.resolve("CONTRIBUTING.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /**
   * The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes.
   */
  private static Set<String> anchors(Path page) throws IOException {
    if (!page.toString().endsWith(".md")) {
      return Set.of();
    }
    Matcher heading =
        HEADING.matcher(withoutCodeBlocks(Files.readString(page, StandardCharsets.UTF_8)));
    return heading
        .results()
        .map(
            m ->
                m.group(1)
                    .strip()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-'))
        .collect(Collectors.toSet());
  }

  private static String withoutCodeBlocks(String markdown) {
    return markdown.replaceAll("(?ms)^\\s*```.*?^\\s*```", "");
  }
}

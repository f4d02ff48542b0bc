package dev.rewind.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public top-level type of a library module has a Javadoc comment. The Javadoc build runs
 * doclint without its "missing" group (a missing comment on every member would be noise), so this
 * is what keeps an undocumented public class, interface, enum or record out of the published API.
 */
class PublicTypesDocumentedTest {
  private static final List<String> LIBRARIES =
      List.of("autodiff", "layers", "optim", "train", "datasets", "spark");

  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public\\s+((abstract|final|sealed|non-sealed|static|strictfp)\\s+)*"
              + "(class|interface|enum|record|@interface)\\s+\\w+.*");

  @Test
  void everyPublicTopLevelTypeHasJavadoc() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> undocumented = new ArrayList<>();
    int checked = 0;
    for (String module : LIBRARIES) {
      Path sources = root.resolve(module).resolve("src/main/java");
      List<Path> files;
      try (Stream<Path> walk = Files.walk(sources)) {
        files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      for (Path file : files) {
        if (file.getFileName().toString().equals("package-info.java")) {
          continue;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          if (PUBLIC_TYPE.matcher(lines.get(i)).matches()) {
            checked++;
            if (!documented(lines, i)) {
              undocumented.add(root.relativize(file) + ":" + (i + 1));
            }
          }
        }
      }
    }
    assertEquals(List.of(), undocumented, "public top-level types without Javadoc");
    if (checked < 50) {
      throw new AssertionError("only " + checked + " public types found under " + root);
    }
  }

  /** Whether the lines above the declaration, past its annotations, end a Javadoc comment. */
  private static boolean documented(List<String> lines, int declaration) {
    int i = declaration - 1;
    while (i >= 0 && (lines.get(i).isBlank() || lines.get(i).startsWith("@"))) {
      i--;
    }
    if (i < 0 || !lines.get(i).strip().endsWith("*/")) {
      return false;
    }
    while (i >= 0 && !lines.get(i).contains("/*")) {
      i--;
    }
    return i >= 0 && lines.get(i).contains("/**");
  }
}

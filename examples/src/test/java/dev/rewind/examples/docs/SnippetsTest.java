package dev.rewind.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnippetsTest {
  private static final Path PAGE = Path.of("docs", "page.md");

  @Test
  void aFragmentBecomesTheBodyOfAMainWithItsImportsAbove() {
    List<Snippet> snippets =
        Snippets.of(
            PAGE,
            "# Title\n\n```java\nimport java.util.List;\nSystem.out.println(List.of(1));\n```\n\n"
                + "```output\n[1]\n```\n");
    assertEquals(1, snippets.size());
    Snippet snippet = snippets.get(0);
    assertEquals(4, snippet.line());
    assertEquals(Optional.of("[1]"), snippet.expectedOutput());
    assertEquals("Snippet", snippet.mainClass());
    String source = snippet.source("p0");
    assertTrue(
        source.startsWith("package p0;\nimport java.util.List;\npublic class Snippet {"), source);
    assertEquals(
        "System.out.println(List.of(1));", source.lines().skip(4).findFirst().orElseThrow());
    assertEquals(5, snippet.pageLine(5));
  }

  @Test
  void aCompilationUnitRunsTheMainOfTheTypeThatDeclaresIt() {
    String code =
        "import java.util.List;\n\nrecord Pair(int a, int b) {}\n\npublic class Demo {\n"
            + "  public static void main(String[] args) {}\n}\n";
    Snippet snippet = Snippets.of(PAGE, "```java\n" + code + "```\n").get(0);
    assertEquals("Demo", snippet.mainClass());
    assertEquals(Optional.empty(), snippet.expectedOutput());
    assertEquals("package p1;\n" + code, snippet.source("p1"));
    assertEquals(4, snippet.pageLine(4)); // the record: the package line above it, the fence too
  }

  @Test
  void otherLanguagesAreNotSnippets() {
    assertEquals(0, Snippets.of(PAGE, "```sh\n./rewind\n```\n```python\nx = 1\n```\n").size());
  }

  @Test
  void anUnclosedBlockIsAnErrorNamingThePageAndLine() {
    UncheckedIOException error =
        assertThrows(
            UncheckedIOException.class, () -> Snippets.of(PAGE, "text\n```java\nint x;\n"));
    assertTrue(error.getMessage().contains("docs/page.md:2"), error.getMessage());
  }
}

package dev.rewind.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of README.md and of the guide under docs/ compiles against the library
 * modules' runtime class path (no test library) and runs in a JVM of its own, in an empty folder,
 * to a normal exit; a block followed by an ```output block prints exactly that. So the guide cannot
 * drift from the API.
 */
class DocumentationSnippetsTest {
  private static final Path ROOT = Path.of("..");
  private static final long PATIENCE_SECONDS = 120;

  @TempDir Path work;

  @TestFactory
  Stream<DynamicTest> everySnippetCompilesAndRuns() throws Exception {
    // -Dsnippets=docs/training.md runs the snippets of the pages whose path contains that text.
    String pages = System.getProperty("snippets", "");
    List<Snippet> snippets =
        Snippets.ofRepository(ROOT).stream()
            .filter(s -> s.page().toString().contains(pages))
            .toList();
    assertFalse(snippets.isEmpty(), "no ```java block in README.md or docs/ matches: " + pages);
    String library = libraryClassPath();
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> compileErrors = compile(snippets, library, classes);

    String classPath = classes + File.pathSeparator + library;
    ExecutorService runner = Executors.newFixedThreadPool(2);
    List<Future<Run>> runs = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      Snippet snippet = snippets.get(i);
      String mainClass = packageOf(i) + "." + snippet.mainClass();
      Path folder = Files.createDirectories(work.resolve("run-" + i));
      boolean compiled = compileErrors.get(i).isEmpty();
      runs.add(runner.submit(() -> compiled ? run(classPath, mainClass, folder) : null));
    }
    runner.shutdown();

    return IntStream.range(0, snippets.size())
        .mapToObj(
            i ->
                DynamicTest.dynamicTest(
                    snippets.get(i).location(),
                    () -> check(snippets.get(i), compileErrors.get(i), runs.get(i).get())));
  }

  private static void check(Snippet snippet, String compileErrors, Run run) {
    assertTrue(
        compileErrors.isEmpty(), () -> snippet.location() + " does not compile:\n" + compileErrors);
    assertTrue(
        run.finished(), () -> snippet.location() + " ran longer than " + PATIENCE_SECONDS + " s");
    assertEquals(
        0, run.exitCode(), () -> snippet.location() + " failed:\n" + run.stdout() + run.stderr());
    snippet
        .expectedOutput()
        .ifPresent(
            expected ->
                assertEquals(
                    normalized(expected),
                    normalized(run.stdout()),
                    () -> snippet.location() + " prints something else than its ```output block"));
  }

  /** The runtime class path of the library modules, as the build wrote it, minus test libraries. */
  private static String libraryClassPath() throws IOException {
    String library =
        Files.readString(Path.of("target", "runtime-classpath.txt"), StandardCharsets.UTF_8).trim();
    for (String entry : library.split(File.pathSeparator)) {
      assertFalse(
          entry.matches(".*(junit|jqwik|opentest4j|archunit|apiguardian).*"),
          "a test library is on the snippets' class path: " + entry);
    }
    return library;
  }

  /** Compiles every snippet in one javac run; the errors of each, empty where it compiled. */
  private static List<String> compile(List<Snippet> snippets, String classPath, Path classes)
      throws IOException {
    List<JavaFileObject> sources = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      sources.add(new Source(i, snippets.get(i).source(packageOf(i)), snippets.get(i).mainClass()));
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    if (!javac(sources, classPath, classes, diagnostics)) {
      // javac writes no class when any source fails: compile the others one by one, so that one
      // broken snippet does not fail them all.
      for (JavaFileObject source : sources) {
        if (diagnostics.getDiagnostics().stream().noneMatch(d -> d.getSource() == source)) {
          javac(List.of(source), classPath, classes, new DiagnosticCollector<>());
        }
      }
    }
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      Snippet snippet = snippets.get(i);
      JavaFileObject source = sources.get(i);
      errors.add(
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getSource() == source)
              .map(
                  d ->
                      snippet.page()
                          + ":"
                          + snippet.pageLine(d.getLineNumber())
                          + ": "
                          + d.getMessage(Locale.ROOT))
              .collect(Collectors.joining("\n")));
    }
    return errors;
  }

  private static boolean javac(
      List<JavaFileObject> sources,
      String classPath,
      Path classes,
      DiagnosticCollector<JavaFileObject> diagnostics)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
      return javac
          .getTask(
              null,
              files,
              diagnostics,
              List.of("--release", "17", "-cp", classPath, "-d", classes.toString()),
              null,
              sources)
          .call();
    }
  }

  private static Run run(String classPath, String mainClass, Path folder) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path stdout = folder.resolveSibling(folder.getFileName() + ".out");
    Path stderr = folder.resolveSibling(folder.getFileName() + ".err");
    Process process =
        // The pages show numbers as an English locale prints them, whatever the machine's locale.
        new ProcessBuilder(
                java, "-Duser.language=en", "-Duser.country=US", "-cp", classPath, mainClass)
            .directory(folder.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    boolean finished = process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    return new Run(
        finished,
        finished ? process.exitValue() : -1,
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  private static String packageOf(int index) {
    return "snippet" + index;
  }

  private static String normalized(String text) {
    return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).strip();
  }

  private record Run(boolean finished, int exitCode, String stdout, String stderr) {}

  /** A snippet's generated source, held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(int index, String code, String mainClass) {
      super(URI.create("string:///" + packageOf(index) + "/" + mainClass + ".java"), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}

package dev.rewind.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of docs/spark.md compiles against this module and Spark and runs in a JVM of
 * its own, in local mode, in an empty folder; a block followed by an ```output block prints exactly
 * that. (The other pages' blocks are run by the examples module, which does not depend on Spark.)
 */
class SparkGuideTest {
  private static final Path PAGE = Path.of("..", "docs", "spark.md");
  private static final Pattern BLOCK =
      Pattern.compile("```java\\n(.*?)```(?:\\s*```output\\n(.*?)```)?", Pattern.DOTALL);
  private static final Pattern CLASS = Pattern.compile("public class (\\w+)");
  private static final String RUNNER = "SparkGuideBlocks";
  private static final String MARK = "=== block ";

  @TempDir Path work;

  private record Block(String name, String source, String output) {}

  private static List<Block> blocks() throws IOException {
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    Matcher block = BLOCK.matcher(page);
    while (block.find()) {
      Matcher name = CLASS.matcher(block.group(1));
      assertTrue(name.find(), "a ```java block of " + PAGE + " has no public class");
      blocks.add(new Block(name.group(1), block.group(1), block.group(2)));
    }
    return blocks;
  }

  @Test
  void everyBlockOfTheSparkPageCompilesAndRuns() throws Exception {
    List<Block> blocks = blocks();
    assertFalse(blocks.isEmpty(), "no ```java block in " + PAGE);
    Path sources = Files.createDirectories(work.resolve("src"));
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "-cp",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString()));
    for (Block block : blocks) {
      Path file = sources.resolve(block.name() + ".java");
      Files.writeString(file, block.source(), StandardCharsets.UTF_8);
      arguments.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int compiled = javac.run(null, null, errors, arguments.toArray(String[]::new));
    assertEquals(0, compiled, () -> PAGE + " does not compile:\n" + errors);

    // One JVM runs the blocks one after the other, as a user's programs, in an empty folder: Spark
    // starts once per block, the JVM once in all.
    Path runner = sources.resolve(RUNNER + ".java");
    StringBuilder calls = new StringBuilder();
    for (Block block : blocks) {
      calls.append(String.format("    System.out.println(\"%s%s\");%n", MARK, block.name()));
      calls.append(String.format("    %s.main(new String[0]);%n", block.name()));
    }
    Files.writeString(
        runner,
        "public class "
            + RUNNER
            + " {\n  public static void main(String[] args) throws Exception {\n"
            + calls
            + "  }\n}\n",
        StandardCharsets.UTF_8);
    List<String> compileRunner = new ArrayList<>(arguments.subList(0, 6));
    compileRunner.set(3, classes + File.pathSeparator + compileRunner.get(3));
    compileRunner.add(runner.toString());
    assertEquals(
        0, javac.run(null, null, errors, compileRunner.toArray(String[]::new)), errors::toString);

    String[] sparkOptions =
        Files.readString(Path.of("target", "java-options.txt"), StandardCharsets.UTF_8)
            .trim()
            .split("\\s+");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(sparkOptions));
    command.add(
        "-Dlog4j2.configurationFile=" + Path.of("conf", "log4j2.properties").toAbsolutePath());
    command.addAll(
        List.of(
            "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), RUNNER));
    Path folder = Files.createDirectories(work.resolve("run"));
    Path stderr = work.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectError(stderr.toFile())
            .start();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the blocks ran longer than 180 s");
    assertEquals(0, process.exitValue(), () -> "a block failed:\n" + printed + readQuietly(stderr));

    String[] outputs = printed.split(Pattern.quote(MARK), -1);
    assertEquals(blocks.size() + 1, outputs.length, printed);
    for (int i = 0; i < blocks.size(); i++) {
      Block block = blocks.get(i);
      String output = outputs[i + 1].substring(outputs[i + 1].indexOf('\n') + 1);
      if (block.output() != null) {
        assertEquals(
            block.output().strip(),
            output.strip(),
            block.name() + " prints something else than its ```output block");
      }
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e + ")";
    }
  }
}

package dev.rewind.examples.docs;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ```java block of a Markdown page, and the output the page says it prints (the ```output block
 * right after it), if any.
 *
 * <p>A block is either a whole compilation unit (imports, then top-level types, one of them with a
 * {@code main}) or a fragment: {@code import} lines, then statements, which run as the body of a
 * {@code main} that may throw.
 */
record Snippet(Path page, int line, String code, Optional<String> expectedOutput) {
  private static final Pattern TOP_LEVEL_TYPE =
      Pattern.compile(
          "^(?:public |final |abstract |sealed |non-sealed )*(?:class|record|interface|enum) (\\w+)",
          Pattern.MULTILINE);
  private static final Pattern MAIN = Pattern.compile("static void main\\(");

  /** Where the block starts, as an editor names it: {@code docs/training.md:42}. */
  String location() {
    return page + ":" + line;
  }

  /** The Java source of this block, in package {@code packageName}. */
  String source(String packageName) {
    if (isCompilationUnit()) {
      return "package " + packageName + ";\n" + code;
    }
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : code.split("\n", -1)) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    return "package "
        + packageName
        + ";\n"
        + imports
        + "public class Snippet {\n"
        + "public static void main(String[] args) throws Exception {\n"
        + body
        + "}\n}\n";
  }

  /** The simple name of the class whose {@code main} runs this block. */
  String mainClass() {
    if (!isCompilationUnit()) {
      return "Snippet";
    }
    Matcher main = MAIN.matcher(code);
    if (!main.find()) {
      throw new IllegalStateException(location() + ": a block that declares types has no main");
    }
    String owner = null;
    Matcher type = TOP_LEVEL_TYPE.matcher(code);
    while (type.find() && type.start() < main.start()) {
      owner = type.group(1);
    }
    return owner;
  }

  /**
   * The page's line for a line of {@link #source}: a compilation unit gains a package line above
   * it; a fragment gains the class and {@code main} lines between its imports and its statements.
   */
  long pageLine(long sourceLine) {
    return line + sourceLine - (isCompilationUnit() ? 2 : 4);
  }

  private boolean isCompilationUnit() {
    return TOP_LEVEL_TYPE.matcher(code).find();
  }
}

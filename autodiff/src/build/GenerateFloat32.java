import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the float32 kernels from the float64 ones, so that each kernel has one source: {@code
 * Pointwise.java} becomes {@code Pointwise32.java} in the same package, with {@code float} for
 * {@code double}, and every other generated class renamed the same way (the scheme of EJML's
 * {@code GenerateCode32}). A statement that starts {@code if (isFloat32(} and ends in {@code //
 * dtype dispatch} hands float32 tensors over to the generated class and is left out of it, as is
 * any other line ending in that comment; a block between {@code // float64 only: begin}
 * and {@code // float64 only: end} is left out whole; and a comment {@code // float32 only: code}
 * becomes the line {@code code}.
 *
 * <p>A twin an earlier run wrote for a source no longer listed is deleted, so that a kernel taken
 * out of the list does not go on compiling from an old copy; only files carrying the generated
 * header line are.
 *
 * <p>Run by Maven in {@code generate-sources}: {@code java GenerateFloat32.java <source root>
 * <output root> <relative path>...}.
 */
public final class GenerateFloat32 {
  private static final String DISPATCH = "// dtype dispatch";
  private static final String BLOCK_BEGIN = "// float64 only: begin";
  private static final String BLOCK_END = "// float64 only: end";
  private static final String FLOAT32_ONLY = "// float32 only: ";
  /** The end of every generated file's header line, by which a stale one is known. */
  private static final String GENERATED_BY = "by GenerateFloat32: edit that file.";

  /** Functions of the JDK that return a double for a float argument: their result is narrowed. */
  private static final Pattern WIDENING_CALL =
      Pattern.compile(
          "\\b(Math\\.(?:exp|log|log1p|expm1|sqrt|tanh|pow|sin|cos|cbrt|hypot|rint)"
              + "|\\w+\\.applyAsDouble)\\(");

  private static final Pattern FLOATING_LITERAL =
      Pattern.compile("(?<![\\w.])(\\d+\\.\\d*(?:[eE][-+]?\\d+)?|\\d+[eE][-+]?\\d+)(?![\\w.])");

  private static final String[][] REPLACEMENTS = {
    {"\\bdouble\\b", "float"},
    {"\\bDouble\\.doubleToRawLongBits\\b", "Float.floatToRawIntBits"},
    {"\\bDouble\\.(isFinite|isNaN|isInfinite|NaN|POSITIVE_INFINITY|NEGATIVE_INFINITY|MAX_VALUE"
        + "|MIN_VALUE|compare)\\b", "Float.$1"},
    {"\\bdgemm", "sgemm"},
    {"\\bBuffers\\.doubles", "Buffers.floats"},
    {"\\bElementaryFunctions\\b", "ElementaryFunctions32"},
    {"\\bDType\\.FLOAT64\\b", "DType.FLOAT32"},
    {"\\.data\\b", ".floats"},
    {"\\bTensorArrays\\.array\\(", "TensorArrays.floats("},
    {"\\bTensor\\.of\\(", "Tensor.ofFloats("},
    {"\\bTensor\\.scalar\\(", "Tensor.ofFloats(Shape.SCALAR, "},
  };

  public static void main(String[] args) throws IOException {
    Path sources = Path.of(args[0]);
    Path output = Path.of(args[1]);
    List<String> classes = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String file = Path.of(args[i]).getFileName().toString();
      classes.add(file.substring(0, file.length() - ".java".length()));
    }
    Set<Path> written = new HashSet<>();
    for (int i = 2; i < args.length; i++) {
      Path source = sources.resolve(args[i]);
      String name = source.getFileName().toString().replace(".java", "");
      Path target = output.resolve(args[i]).resolveSibling(name + "32.java");
      String generated = generate(Files.readAllLines(source, StandardCharsets.UTF_8), name, classes);
      Files.createDirectories(target.getParent());
      if (!Files.exists(target) || !Files.readString(target).equals(generated)) {
        Files.writeString(target, generated, StandardCharsets.UTF_8);
      }
      written.add(target.toAbsolutePath().normalize());
    }
    removeStale(output, written);
  }

  /**
   * Deletes what an earlier run generated for a source no longer listed, which would otherwise go
   * on compiling beside the current twins: only files under the output root that carry this tool's
   * header line, so nothing else there is touched.
   */
  private static void removeStale(Path output, Set<Path> written) throws IOException {
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> files = Files.walk(output)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!written.contains(absolute) && Files.readString(file).contains(GENERATED_BY)) {
          stale.add(file);
        }
      }
    }
    for (Path file : stale) {
      Files.delete(file);
    }
  }

  static String generate(List<String> lines, String name, List<String> classes) {
    StringBuilder out = new StringBuilder();
    boolean skipping = false;
    boolean header = false;
    // The public kernels of tensor are API; their float32 twins are reached through them only.
    // Those of internal are public for the ops, and stay so.
    boolean demote = lines.stream().anyMatch(l -> l.startsWith("package ") && !l.contains(".internal"));
    boolean dispatching = false;
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.startsWith("if (isFloat32(")) {
        dispatching = true;
      }
      if (dispatching) {
        dispatching = !trimmed.endsWith(DISPATCH);
        continue;
      }
      if (trimmed.equals(BLOCK_BEGIN)) {
        skipping = true;
        continue;
      }
      if (trimmed.equals(BLOCK_END)) {
        skipping = false;
        continue;
      }
      if (skipping || trimmed.endsWith(DISPATCH)) {
        continue;
      }
      if (trimmed.startsWith(FLOAT32_ONLY)) {
        line = line.substring(0, line.indexOf(FLOAT32_ONLY)) + trimmed.substring(FLOAT32_ONLY.length());
        trimmed = line.trim();
      }
      if (!header && (trimmed.startsWith("import ") || trimmed.startsWith("/**")
          || trimmed.startsWith("public ") || trimmed.startsWith("final "))) {
        out.append("// Generated from ").append(name).append(".java ").append(GENERATED_BY).append('\n');
        header = true;
      }
      out.append(translate(line, classes, demote)).append('\n');
    }
    return out.toString();
  }

  private static String translate(String line, List<String> classes, boolean demote) {
    String trimmed = line.trim();
    boolean comment = trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//");
    String code = line;
    String tail = "";
    if (!comment) {
      int at = commentStart(line);
      code = line.substring(0, at);
      tail = line.substring(at);
    }
    if (comment) {
      return line; // comments keep naming the float64 classes, whose documentation they share
    }
    for (String generatedClass : classes) {
      code = code.replaceAll("\\b" + generatedClass + "\\b", generatedClass + "32");
    }
    if (demote) {
      code = code.replaceFirst("^public (final |abstract )?class ", "$1class ");
    }
    for (String[] replacement : REPLACEMENTS) {
      code = code.replaceAll(replacement[0], replacement[1]);
    }
    code = outsideStrings(code);
    return code + tail;
  }

  /** Narrows widening calls and marks floating literals as float, leaving string literals alone. */
  private static String outsideStrings(String code) {
    StringBuilder out = new StringBuilder();
    String[] parts = code.split("\"", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i % 2 == 0) {
        part = WIDENING_CALL.matcher(part).replaceAll("(float) $1(");
        part = FLOATING_LITERAL.matcher(part).replaceAll("$1f");
      }
      out.append(i == 0 ? "" : "\"").append(part);
    }
    return out.toString();
  }

  /** Where a trailing {@code //} comment starts, outside string literals, or the line's length. */
  private static int commentStart(String line) {
    boolean inString = false;
    for (int i = 0; i + 1 < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
        inString = !inString;
      } else if (!inString && c == '/' && line.charAt(i + 1) == '/') {
        return i;
      }
    }
    return line.length();
  }
}

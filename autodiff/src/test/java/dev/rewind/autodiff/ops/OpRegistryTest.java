package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The registry of op cases covers every op the library defines: none escapes the checks. */
class OpRegistryTest {

  @Test
  void everyOpClassIsExercisedByACase() throws Exception {
    Set<String> defined = opClassesDefinedInTheOpsPackages();
    Set<String> exercised = new TreeSet<>();
    for (OpCase opCase : OpCases.all()) {
      List<Tensor> inputs = opCase.inputs().sample();
      try (Tape tape = Tape.record()) {
        Var output = opCase.apply().apply(inputs.stream().map(Var::constant).toList());
        assertTrue(output.value().isFinite(), opCase::toString);
        tape.recorded().forEach(op -> exercised.add(op.getClass().getName()));
      }
    }
    Set<String> missing = new TreeSet<>(defined);
    missing.removeAll(exercised);
    assertEquals(Collections.emptySet(), missing, "ops without a gradient-checked case");
    assertTrue(defined.size() >= 30, () -> "found only " + defined);
  }

  @Test
  void caseNamesAreUnique() {
    List<String> names = OpCases.all().stream().map(OpCase::name).toList();
    assertEquals(names.size(), Set.copyOf(names).size(), names::toString);
  }

  private static Set<String> opClassesDefinedInTheOpsPackages()
      throws IOException, URISyntaxException {
    // The folder or jar the library's classes were loaded from, not the tests'.
    Path classes = Paths.get(Op.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path directory = classes.resolve("dev/rewind/autodiff/ops");
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> classes.relativize(file).toString())
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .map(OpRegistryTest::load)
          .filter(Op.class::isAssignableFrom)
          .filter(type -> !Modifier.isAbstract(type.getModifiers()))
          .map(Class::getName)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name, e);
    }
  }
}

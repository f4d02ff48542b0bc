package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.CellCase.Subject;
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

/**
 * The registry of cell cases covers every recurrent cell the layers library defines: none escapes
 * the gradient checks of {@link CellGradientRegistryProperties}.
 */
class CellRegistryTest {

  @Test
  void everyCellClassIsCoveredByACase() throws Exception {
    Set<String> defined = cellClassesDefinedInTheLibrary();
    Set<String> covered = new TreeSet<>();
    for (CellCase cellCase : CellCases.all()) {
      Subject subject = cellCase.build().get();
      Var loss = subject.loss().apply(Var.constant(subject.inputs()));
      assertTrue(Double.isFinite(loss.value().item()), cellCase::toString);
      subject.covered().forEach(type -> covered.add(type.getName()));
    }
    Set<String> missing = new TreeSet<>(defined);
    missing.removeAll(covered);
    assertEquals(Collections.emptySet(), missing, "cells without a gradient-checked case");
    assertTrue(defined.size() >= 11, () -> "found only " + defined);
  }

  @Test
  void caseNamesAreUnique() {
    List<String> names = CellCases.all().stream().map(CellCase::name).toList();
    assertEquals(names.size(), Set.copyOf(names).size(), names::toString);
  }

  /**
   * Every concrete class of the library's main classes that implements {@link RecurrentCell}:
   * public or package-private, neither abstract nor an interface, nor anonymous or local (such as
   * the cell {@link RecurrentCell#of} returns, which the lambda case runs).
   */
  private static Set<String> cellClassesDefinedInTheLibrary()
      throws IOException, URISyntaxException {
    // The folder or jar the library's classes were loaded from, not the tests'.
    Path classes =
        Paths.get(RecurrentCell.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path directory = classes.resolve("dev/rewind/layers");
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> classes.relativize(file).toString())
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .filter(name -> !name.endsWith("package-info"))
          .map(CellRegistryTest::load)
          .filter(RecurrentCell.class::isAssignableFrom)
          .filter(type -> !type.isInterface() && !Modifier.isAbstract(type.getModifiers()))
          .filter(type -> !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic())
          .filter(type -> !Modifier.isPrivate(type.getModifiers()))
          .map(Class::getName)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, CellRegistryTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name, e);
    }
  }
}

package dev.rewind.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency arrows between modules: {@code examples → datasets, optim, layers → autodiff};
 * {@code optim} and {@code datasets} never depend on {@code layers}; nothing depends on {@code
 * examples} or {@code bench}; nothing outside {@code autodiff} uses {@code
 * dev.rewind.autodiff.internal}, which is no part of the API; and inside {@code autodiff}, the tape
 * knows the ops only through {@code Var}. A wrong import fails the build here, even where a Maven
 * dependency would have let it compile.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importTheLibrary() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rewind");
  }

  @Test
  void theWholeLibraryIsImported() {
    assertTrue(
        classes.containPackage("dev.rewind.autodiff.tape"), "autodiff not on the class path");
  }

  @Test
  void autodiffDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.rewind.autodiff..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.rewind.layers..",
            "dev.rewind.optim..",
            "dev.rewind.datasets..",
            "dev.rewind.examples..",
            "dev.rewind.bench..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void nothingOutsideAutodiffDependsOnItsInternalPackage() {
    assertTrue(
        classes.containPackage("dev.rewind.autodiff.internal"),
        "dev.rewind.autodiff.internal not imported: the rule would check nothing");
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.rewind.autodiff..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.rewind.autodiff.internal..")
        .because("dev.rewind.autodiff.internal has no compatibility promise")
        .check(classes);
  }

  @Test
  void optimAndDatasetsNeverDependOnLayers() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.rewind.optim..", "dev.rewind.datasets..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.rewind.layers..", "dev.rewind.examples..", "dev.rewind.bench..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void optimAndDatasetsAreIndependentOfEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.rewind.optim..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.rewind.datasets..")
        .allowEmptyShould(true)
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("dev.rewind.datasets..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.rewind.optim..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void layersDependOnlyOnAutodiff() {
    noClasses()
        .that()
        .resideInAPackage("dev.rewind.layers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.rewind.optim..",
            "dev.rewind.datasets..",
            "dev.rewind.examples..",
            "dev.rewind.bench..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void nothingDependsOnExamplesOrBench() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.rewind.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.rewind.examples..", "dev.rewind.bench..")
        .allowEmptyShould(true)
        .check(classes);
  }

  /**
   * The tape is the engine the ops are written against: of its classes only {@code Var}, the facade
   * through which ops are applied, knows any op (the recurrent steps have their own facade, {@code
   * FusedSteps}, in {@code ops.rnn}).
   */
  @Test
  void inTheTapePackageOnlyVarDependsOnTheOps() {
    noClasses()
        .that()
        .resideInAPackage("dev.rewind.autodiff.tape")
        .and()
        .doNotHaveFullyQualifiedName("dev.rewind.autodiff.tape.Var")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.rewind.autodiff.ops..")
        .check(classes);
  }
}

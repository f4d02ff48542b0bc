package dev.rewind.train;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows into and out of {@code train}: {@code train → optim, layers → autodiff}, plus the JDK,
 * Guava and Error Prone's annotations; {@code autodiff}, {@code layers} and {@code optim} never
 * depend on {@code train}, {@code datasets} or {@code examples}. A wrong import fails the build
 * here, even where a Maven dependency would have let it compile.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importTheLibrary() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // autodiff's test-jar (hostile-file helpers) is on this class path; it is no library.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.rewind");
  }

  @Test
  void everyModuleBelowTrainIsImported() {
    for (String module : new String[] {"autodiff", "layers", "optim", "train"}) {
      assertTrue(
          classes.stream().anyMatch(c -> c.getPackageName().startsWith("dev.rewind." + module)),
          module + " is not on the class path");
    }
  }

  @Test
  void trainDependsOnlyOnTheModulesBelowItGuavaAndTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.rewind.train..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.rewind.autodiff..",
            "dev.rewind.layers..",
            "dev.rewind.optim..",
            "dev.rewind.train..",
            "java..",
            "com.google.common..",
            "com.google.errorprone..")
        .check(classes);
  }

  @Test
  void nothingBelowTrainDependsOnTrainDatasetsOrExamples() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.rewind.autodiff..", "dev.rewind.layers..", "dev.rewind.optim..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.rewind.train..", "dev.rewind.datasets..", "dev.rewind.examples..")
        .check(classes);
  }
}

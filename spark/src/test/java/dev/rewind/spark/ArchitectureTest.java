package dev.rewind.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows out of {@code spark}: the library ({@code dev.rewind.spark}) uses Rewind's modules,
 * Spark, Hadoop's file system, Scala's tuples, Guava and the JDK, and never its own demonstration;
 * the demonstration may use everything the library does, and the library itself.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importTheModule() {
    // The module's own classes only: scanning Spark's 150 jars for the package costs seconds, and
    // a dependency is checked by its name either way.
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));
  }

  @Test
  void theModuleIsImported() {
    assertTrue(classes.contain(Sweep.class), "target/classes holds no Sweep");
  }

  @Test
  void theLibraryNeverDependsOnTheDemonstration() {
    noClasses()
        .that()
        .resideInAPackage("dev.rewind.spark")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.rewind.spark.demo..")
        .check(classes);
  }

  @Test
  void theLibraryDependsOnlyOnRewindSparkHadoopGuavaAndTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.rewind.spark")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.rewind.autodiff..",
            "dev.rewind.layers..",
            "dev.rewind.optim..",
            "dev.rewind.train..",
            "dev.rewind.spark",
            "org.apache.spark..",
            "org.apache.hadoop..",
            "scala",
            "java..",
            "com.google.common..",
            "com.google.errorprone..")
        .check(classes);
  }
}

package dev.rewind.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rewind.spark");
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

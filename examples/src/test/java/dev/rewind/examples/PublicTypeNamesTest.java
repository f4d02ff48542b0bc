package dev.rewind.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * No public type of a library module, top-level or nested, has the simple name of a public {@code
 * java.lang} type. Every Java file imports {@code java.lang.*} implicitly, so a user who writes
 * {@code import dev.rewind.layers.*;} beside such a type gets a name that means one thing in one
 * file and the other in the next, or an ambiguity error (which is why {@code Module} became {@code
 * Layer}).
 */
class PublicTypeNamesTest {
  private static final String[] LIBRARIES = {
    "dev.rewind.autodiff",
    "dev.rewind.layers",
    "dev.rewind.optim",
    "dev.rewind.train",
    "dev.rewind.datasets"
  };

  @Test
  void noPublicTypeSharesItsSimpleNameWithAJavaLangType() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(LIBRARIES);
    List<JavaClass> publicTypes =
        classes.stream().filter(PublicTypeNamesTest::isPublicApi).toList();

    List<String> clashes =
        publicTypes.stream()
            .filter(type -> javaLangType(type.getSimpleName()).isPresent())
            .map(type -> type.getName() + " (java.lang." + type.getSimpleName() + ")")
            .sorted()
            .toList();

    assertEquals(List.of(), clashes, "public types named as a java.lang type");
    assertTrue(
        publicTypes.size() >= 100,
        "only " + publicTypes.size() + " public types found: is the library on the class path?");
  }

  @Test
  void theCheckRecognisesJavaLangNames() {
    assertTrue(javaLangType("Module").isPresent());
    assertTrue(javaLangType("Process").isPresent());
    assertTrue(javaLangType("Layer").isEmpty());
    // Package-private classes of java.lang are no clash: no file sees them.
    assertTrue(javaLangType("StringCoding").isEmpty());
  }

  /** Public, and reachable: each class it is nested in is public too; not anonymous or local. */
  private static boolean isPublicApi(JavaClass type) {
    if (type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    for (Optional<JavaClass> t = Optional.of(type);
        t.isPresent();
        t = t.get().getEnclosingClass()) {
      if (!t.get().getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  /** The public type {@code java.lang.<simpleName>}, if the running JDK has one. */
  private static Optional<Class<?>> javaLangType(String simpleName) {
    try {
      Class<?> type = Class.forName("java.lang." + simpleName, false, null);
      return Modifier.isPublic(type.getModifiers()) ? Optional.of(type) : Optional.empty();
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }
}

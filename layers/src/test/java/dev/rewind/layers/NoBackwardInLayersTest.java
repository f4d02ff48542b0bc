package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.ops.elementwise.Tanh;
import dev.rewind.autodiff.tape.Op;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing in the layers module is an op or defines a backward pass: every cell, loss and scenario
 * is a composition of autodiff ops, and its gradients come from the tape.
 */
class NoBackwardInLayersTest {
  @Test
  void noClassOfTheLayersModuleIsAnOpOrDeclaresABackward() throws Exception {
    List<Class<?>> classes = classesOfTheLayersModule();
    TreeSet<String> offenders = new TreeSet<>();
    for (Class<?> type : classes) {
      if (isOpOrDeclaresBackward(type)) {
        offenders.add(type.getName());
      }
    }

    assertEquals(new TreeSet<String>(), offenders, "classes with a backward of their own");
    assertTrue(classes.size() > 10, () -> "found only " + classes.size() + " classes: " + classes);
  }

  @Test
  void theCheckRecognisesAnOp() {
    assertTrue(isOpOrDeclaresBackward(Tanh.class));
    assertTrue(isOpOrDeclaresBackward(DeclaresBackward.class));
  }

  /** A class that is not an op but would hand-write a backward pass. */
  private static final class DeclaresBackward {
    @SuppressWarnings("unused")
    void backward() {}
  }

  private static boolean isOpOrDeclaresBackward(Class<?> type) {
    if (Op.class.isAssignableFrom(type)) {
      return true;
    }
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals("backward")) {
        return true;
      }
    }
    return false;
  }

  /** Every class in the folder {@code Layer.class} was loaded from: the main classes, not tests. */
  private static List<Class<?>> classesOfTheLayersModule() throws IOException, URISyntaxException {
    Path root = Paths.get(Layer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path layers = root.resolve("dev/rewind/layers");
    assertTrue(Files.isDirectory(layers), () -> "not a folder of classes: " + layers);
    try (Stream<Path> files = Files.walk(layers)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> root.relativize(file).toString())
          .map(name -> name.substring(0, name.length() - ".class".length()))
          .map(name -> name.replace(root.getFileSystem().getSeparator(), "."))
          .filter(name -> !name.endsWith("package-info"))
          .map(NoBackwardInLayersTest::load)
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, NoBackwardInLayersTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name, e);
    }
  }
}

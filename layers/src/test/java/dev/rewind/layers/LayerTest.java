package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Layers name their parameters like PyTorch's {@code named_parameters}. */
class LayerTest {

  /** A layer with the parameters it is given, registered in order. */
  private static final class Leaf extends Layer {
    Leaf(Parameter... parameters) {
      for (Parameter p : parameters) {
        parameter(p);
      }
    }
  }

  /** A layer with one parameter of its own and two children. */
  private static final class Container extends Layer {
    final Parameter scale;

    Container(Layer first, Layer second) {
      scale = parameter("scale", Tensor.ones(1));
      child("layers", new LayerList(List.of(first, second)));
    }
  }

  private static Parameter p(String name, int rows, int columns) {
    return new Parameter(name, Tensor.zeros(rows, columns));
  }

  @Test
  void theSummaryListsEveryPathShapeAndCountAndTheTotal() {
    Container container =
        new Container(new Leaf(p("U", 2, 3), p("W", 30, 40)), new Leaf(p("b", 1, 1)));

    assertEquals(
        String.join(
            "\n",
            "Container, 1,208 weights",
            "  scale       [1]           1",
            "  layers.0.U  [2, 3]        6",
            "  layers.0.W  [30, 40]  1,200",
            "  layers.1.b  [1, 1]        1",
            ""),
        container.summary());
  }

  @Test
  void ownParametersComeFirstThenChildrenWithDottedPrefixes() {
    Container container =
        new Container(new Leaf(p("U", 2, 3), p("W", 3, 3)), new Leaf(p("U", 3, 1), p("b", 1, 1)));

    assertEquals(
        List.of("scale", "layers.0.U", "layers.0.W", "layers.1.U", "layers.1.b"),
        List.copyOf(container.namedParameters().keySet()));
  }

  @Test
  void orderIsStableAcrossCalls() {
    Container container = new Container(new Leaf(p("U", 2, 3)), new Leaf(p("V", 3, 2)));

    assertEquals(container.namedParameters(), container.namedParameters());
    assertEquals(
        List.copyOf(container.namedParameters().values()), List.copyOf(container.parameters()));
  }

  @Test
  void aSharedParameterIsListedOnceUnderItsFirstPath() {
    Parameter shared = p("W", 4, 4);
    Container container = new Container(new Leaf(shared, p("U", 2, 4)), new Leaf(shared));

    assertEquals(
        List.of("scale", "layers.0.W", "layers.0.U"),
        List.copyOf(container.namedParameters().keySet()));
    assertSame(shared, container.namedParameters().get("layers.0.W"));
    assertEquals(1 + 16 + 8, container.parameterCount());
  }

  @Test
  void aModuleUsedTwiceIsListedOnce() {
    Leaf tied = new Leaf(p("U", 2, 2));
    Container container = new Container(tied, tied);

    assertEquals(List.of("scale", "layers.0.U"), List.copyOf(container.namedParameters().keySet()));
    assertEquals(5, container.parameterCount());
  }

  @Test
  void equalButDistinctParametersAreBothListed() {
    Container container = new Container(new Leaf(p("U", 2, 2)), new Leaf(p("U", 2, 2)));

    assertEquals(3, container.parameters().size());
    assertEquals(9, container.parameterCount());
  }

  @Test
  void parameterCountIsTheNumberOfScalars() {
    TanhCell cell = new TanhCell(5, 3, new Random(1));

    assertEquals(5 * 3 + 3 * 3 + 3, cell.parameterCount());
  }

  @Test
  void stackedCellNamesItsLayersByDepth() {
    Random random = new Random(2);
    StackedCell<HiddenState> stack =
        new StackedCell<>(new TanhCell(3, 4, random), new TanhCell(4, 2, random));

    assertEquals(
        List.of("layers.0.U", "layers.0.W", "layers.0.b", "layers.1.U", "layers.1.W", "layers.1.b"),
        List.copyOf(stack.namedParameters().keySet()));
    assertEquals(12 + 16 + 4 + 8 + 4 + 2, stack.parameterCount());
  }

  @Test
  void stackedCellRejectsALayerThatIsNotAModule() {
    RecurrentCell<HiddenState> lambda = RecurrentCell.of(3, 3, (x, h) -> h);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StackedCell<>(new TanhCell(3, 3, new Random(3)), lambda));
    assertTrue(e.getMessage().contains("layer 1 is not a Layer"), e.getMessage());
  }

  @Test
  void aNameIsRegisteredOnce() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Leaf(p("U", 1, 1), p("U", 2, 2)));
    assertEquals("Leaf: name 'U' is already registered", e.getMessage());
  }

  @Test
  void namesHaveNoDots() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Leaf(p("layers.U", 1, 1)));
    assertEquals("Leaf: name 'layers.U' must be non-empty and without dots", e.getMessage());
  }
}

package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.leaky.SkipState;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every recurrent state as named tensors and back, and what is refused on the way back. */
class StateTensorsTest {
  private final Random random = new Random(11);

  @Test
  void everyStateComesBackFromItsTensorsExactly() {
    assertRoundTrips(new HiddenState(randomVar(2, 3)), HiddenState.zeros(2, 3));
    assertRoundTrips(new LstmState(randomVar(2, 3), randomVar(2, 3)), LstmState.zeros(2, 3));
    assertRoundTrips(
        new SkipState(ImmutableList.of(randomVar(2, 3), randomVar(2, 3), randomVar(2, 3))),
        SkipState.zeros(3, 2, 3));
    assertRoundTrips(
        new StackedState<>(
            ImmutableList.of(
                new LstmState(randomVar(2, 3), randomVar(2, 3)),
                new LstmState(randomVar(2, 4), randomVar(2, 4)))),
        new StackedState<>(ImmutableList.of(LstmState.zeros(2, 3), LstmState.zeros(2, 4))));
  }

  @Test
  void theLibrarysCellsMakeTheirZeroStateInTheDTypeAskedFor() {
    List<RecurrentCell<?>> cells =
        List.of(
            ElmanCell.random(3, 5, Activation.TANH, random),
            GruCell.random(3, 5, random),
            LstmCell.random(3, 5, random),
            RecurrentCell.of(3, 5, (x, h) -> h));

    for (RecurrentCell<?> cell : cells) {
      for (DType dtype : DType.values()) {
        Map<String, Tensor> zeros = cell.initialState(4, dtype).tensors();
        Map<String, Tensor> converted = cell.initialState(4).withDType(dtype).tensors();

        assertEquals(converted.keySet(), zeros.keySet(), cell.name());
        for (Map.Entry<String, Tensor> entry : zeros.entrySet()) {
          Tensor zero = entry.getValue();
          assertEquals(dtype, zero.dtype(), cell.name() + " " + entry.getKey());
          assertEquals(Shape.of(4, 5), zero.shape(), cell.name() + " " + entry.getKey());
          assertEquals(converted.get(entry.getKey()), zero, cell.name() + " " + entry.getKey());
        }
      }
    }
  }

  @Test
  void namesFollowTheStructureInAFixedOrder() {
    StackedState<SkipState> stacked =
        new StackedState<>(ImmutableList.of(SkipState.zeros(2, 1, 3), SkipState.zeros(1, 1, 4)));

    assertEquals(
        List.of("layers.0.recent.0", "layers.0.recent.1", "layers.1.recent.0"),
        stacked.tensors().keySet().asList());
    assertEquals(List.of("h", "c"), LstmState.zeros(1, 2).tensors().keySet().asList());
  }

  @Test
  void aTensorOfAnotherShapeIsNamedWithBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LstmState.zeros(8, 6).withTensors(LstmState.zeros(4, 6).tensors()));

    assertEquals("LstmState: h has shape [4, 6], this state has [8, 6]", e.getMessage());
  }

  @Test
  void aMissingTensorIsNamedWithItsShape() {
    StackedState<HiddenState> template =
        new StackedState<>(ImmutableList.of(HiddenState.zeros(2, 3), HiddenState.zeros(2, 5)));
    Map<String, Tensor> tensors = new LinkedHashMap<>(template.tensors());
    tensors.remove("layers.1.h");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> template.withTensors(tensors));

    assertEquals("StackedState: layers.1.h [2, 5] is missing", e.getMessage());
  }

  @Test
  void aTensorThatIsNotPartOfTheStateIsNamed() {
    SkipState template = SkipState.zeros(2, 1, 3);
    Map<String, Tensor> tensors = new LinkedHashMap<>(SkipState.zeros(3, 1, 3).tensors());

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> template.withTensors(tensors));

    assertEquals(
        "SkipState: recent.2 is not part of this state, which has [recent.0, recent.1]",
        e.getMessage());
  }

  private static <S extends RecurrentState<S>> void assertRoundTrips(S state, S zeros) {
    S restored = zeros.withTensors(state.tensors());

    assertEquals(state.tensors(), restored.tensors(), state.getClass().getSimpleName());
    assertEquals(state.getClass(), restored.getClass());
  }

  private Var randomVar(int rows, int columns) {
    return Var.constant(Tensor.randomNormal(Shape.of(rows, columns), 0, 1, random));
  }
}

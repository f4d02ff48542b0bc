package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.StackedState;
import dev.rewind.layers.leaky.SkipState;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recurrent state carried between windows, as named tensors in a checkpoint and back. */
class CarriedStateTest {
  @TempDir Path folder;

  @Test
  void statesBecomeNamedTensorsAndComeBackExactly() {
    Random random = new Random(5);
    LstmState first = new LstmState(randomVar(random, 2, 3), randomVar(random, 2, 3));
    LstmState second = new LstmState(randomVar(random, 2, 4), randomVar(random, 2, 4));
    StackedState<LstmState> stacked = new StackedState<>(ImmutableList.of(first, second));

    ImmutableMap<String, Tensor> tensors = CarriedState.tensors(stacked);
    StackedState<LstmState> restored =
        CarriedState.restore(
            new StackedState<>(ImmutableList.of(LstmState.zeros(2, 3), LstmState.zeros(2, 4))),
            tensors);

    assertEquals(
        List.of("layers.0.h", "layers.0.c", "layers.1.h", "layers.1.c"), tensors.keySet().asList());
    assertEquals(tensors, CarriedState.tensors(restored));
    HiddenState hidden = new HiddenState(randomVar(random, 3, 2));
    assertEquals(
        hidden.h().value(),
        CarriedState.restore(HiddenState.zeros(3, 2), CarriedState.tensors(hidden)).h().value());
  }

  @Test
  void aStateOfAnotherShapeIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CarriedState.restore(
                    LstmState.zeros(8, 6), CarriedState.tensors(LstmState.zeros(4, 6))));

    assertEquals("carried state: h has shape [4, 6], this run's state has [8, 6]", e.getMessage());
  }

  @Test
  void aSkipStateKeepsEveryRecentVectorInOrder() {
    Random random = new Random(6);
    SkipState skip =
        new SkipState(
            ImmutableList.of(
                randomVar(random, 2, 3), randomVar(random, 2, 3), randomVar(random, 2, 3)));

    ImmutableMap<String, Tensor> tensors = CarriedState.tensors(skip);
    SkipState restored = CarriedState.restore(SkipState.zeros(3, 2, 3), tensors);

    assertEquals(List.of("recent.0", "recent.1", "recent.2"), tensors.keySet().asList());
    for (int k = 0; k < 3; k++) {
      assertEquals(skip.recent().get(k).value(), restored.recent().get(k).value());
    }
  }

  /** A state of a kind the checkpoint does not know. */
  private record Opaque() implements RecurrentState<Opaque> {
    @Override
    public Opaque where(Tensor keep, Opaque previous) {
      return this;
    }

    @Override
    public Opaque detach() {
      return this;
    }
  }

  @Test
  void aStateThatCannotBeSavedIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CarriedState.tensors(new Opaque()));

    assertEquals("carried state: a Opaque cannot be saved", e.getMessage());
  }

  @Test
  void aCheckpointCarryingAnotherBatchIsRefusedBeforeAnythingChanges() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    run.train(2);
    Path file = folder.resolve("carried.ckpt");
    run.save(file);
    TinyTraining other = new TinyTraining(Kind.ADAM, 8);
    TinyTraining.Fingerprint before = other.fingerprint();
    ImmutableMap<String, Shape> wider =
        CarriedState.shapes(LstmState.zeros(8, TinyTraining.HIDDEN));

    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> Checkpoint.load(file, other.model, other.optimizer, wider));

    assertEquals(
        file + ": carried state h has shape [4, 6], this run's state has [8, 6]", e.getMessage());
    assertEquals(before, other.fingerprint());
  }

  private static Var randomVar(Random random, int rows, int columns) {
    return Var.constant(Tensor.randomNormal(Shape.of(rows, columns), 0, 1, random));
  }
}

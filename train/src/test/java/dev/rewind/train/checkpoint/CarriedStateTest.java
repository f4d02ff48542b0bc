package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Linear;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.StackedState;
import dev.rewind.layers.leaky.SkipState;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.optim.Sgd;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    assertEquals("LstmState: h has shape [4, 6], this state has [8, 6]", e.getMessage());
  }

  @Test
  void aSkipStateComesBackFromACheckpointExactly() throws Exception {
    Random random = new Random(6);
    SkipState state =
        new SkipState(ImmutableList.of(randomVar(random, 2, 3), randomVar(random, 2, 3)));

    SkipState restored = throughCheckpoint(state, SkipState.zeros(2, 2, 3));

    assertEquals(state.tensors(), restored.tensors());
    assertEquals(List.of("recent.0", "recent.1"), restored.tensors().keySet().asList());
  }

  @Test
  void aStateTypeOfTheUsersOwnComesBackFromACheckpointExactly() throws Exception {
    Random random = new Random(7);
    Echo state = new Echo(randomVar(random, 2, 3), randomVar(random, 2, 1));

    Echo restored = throughCheckpoint(state, Echo.zeros(2, 3, 1));

    assertEquals(state.tensors(), restored.tensors());
  }

  /** Saves {@code state} as a checkpoint's carried state, loads it and rebuilds it on zeros. */
  private <S extends RecurrentState<S>> S throughCheckpoint(S state, S zeros) throws Exception {
    Linear model = new Linear(3, 2, new Random(1));
    Path file = folder.resolve("carried-" + state.getClass().getSimpleName() + ".ckpt");
    Checkpoint.save(
        file,
        model,
        Sgd.builder(model.parameters()).learningRate(0.1).build(),
        new Random(2),
        Progress.of(4, 40).withCarried(state.tensors()));

    Checkpoint.Restored restored =
        Checkpoint.load(
            file,
            model,
            Sgd.builder(model.parameters()).learningRate(0.1).build(),
            CarriedState.shapes(zeros));

    return zeros.withTensors(restored.progress().carried());
  }

  /** A state a user might define: the hidden vector and the last input, seen by the next step. */
  private record Echo(Var h, Var lastInput) implements RecurrentState<Echo> {
    static Echo zeros(int batch, int hidden, int inputs) {
      return new Echo(
          Var.constant(Tensor.zeros(batch, hidden)), Var.constant(Tensor.zeros(batch, inputs)));
    }

    @Override
    public Echo where(Tensor keep, Echo previous) {
      return new Echo(
          Var.where(keep, h, previous.h), Var.where(keep, lastInput, previous.lastInput));
    }

    @Override
    public Echo detach() {
      return new Echo(h.detach(), lastInput.detach());
    }

    @Override
    public ImmutableMap<String, Tensor> tensors() {
      return ImmutableMap.of("h", h.value(), "lastInput", lastInput.value());
    }

    @Override
    public Echo withTensors(Map<String, Tensor> tensors) {
      RecurrentState.checkFits(this, tensors);
      return new Echo(Var.constant(tensors.get("h")), Var.constant(tensors.get("lastInput")));
    }
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

package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.RecurrentState;
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
class CarriedStateCheckpointTest {
  @TempDir Path folder;

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
            file, model, Sgd.builder(model.parameters()).learningRate(0.1).build(), zeros.shapes());

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
    ImmutableMap<String, Shape> wider = LstmState.zeros(8, TinyTraining.HIDDEN).shapes();

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

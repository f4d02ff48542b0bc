package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.Adam;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model converted with {@code Layer.to(FLOAT32)} trains through the unchanged training loop in
 * float32 — the loop converts the float64 batches and initial state — ends where the same run in
 * float64 ends, to well within 1%, and resumes from its checkpoints exactly.
 */
class Float32TrainingTest {
  private static final int HIDDEN = 16;
  private static final int STEPS = 150;

  @Test
  void anLstmTrainedInFloat32EndsWithin1PercentOfTheSameRunInFloat64() {
    double float64 = validationLossAfterTraining(DType.FLOAT64);
    double float32 = validationLossAfterTraining(DType.FLOAT32);

    assertTrue(float64 < 0.05, "the float64 run learned the task: validation loss " + float64);
    assertEquals(float64, float32, 0.01 * float64, "float32 against float64 validation loss");
  }

  @Test
  void aFloat32RunResumedFromItsCheckpointEndsWithTheBitsOfTheUninterruptedRun(@TempDir Path folder)
      throws IOException {
    ManyToMany<LstmState> whole = model(DType.FLOAT32);
    trainer(whole, DType.FLOAT32, null).fit(40);

    ManyToMany<LstmState> first = model(DType.FLOAT32);
    try (CheckpointFolder checkpoints = CheckpointFolder.open(folder, 2)) {
      trainer(first, DType.FLOAT32, checkpoints).fit(25);
    }
    ManyToMany<LstmState> resumed = model(DType.FLOAT32);
    try (CheckpointFolder checkpoints = CheckpointFolder.open(folder, 2)) {
      Trainer<LstmState> trainer = trainer(resumed, DType.FLOAT32, checkpoints);
      assertEquals(25, trainer.resume().orElseThrow().progress().step());
      trainer.fit(40);
    }

    for (int p = 0; p < whole.parameters().size(); p++) {
      Parameter expected = whole.parameters().get(p);
      Parameter actual = resumed.parameters().get(p);
      assertEquals(DType.FLOAT32, actual.dtype(), actual.name());
      assertArrayEquals(
          expected.value().toFloatArray(), actual.value().toFloatArray(), 0f, actual.name());
    }
  }

  private static double validationLossAfterTraining(DType dtype) {
    ManyToMany<LstmState> model = model(dtype);
    Trainer<LstmState> trainer = trainer(model, dtype, null);
    trainer.fit(STEPS);
    for (Parameter parameter : model.parameters()) {
      assertEquals(dtype, parameter.dtype(), parameter.name());
    }
    return trainer.lastValidationLoss().orElseThrow();
  }

  private static ManyToMany<LstmState> model(DType dtype) {
    // Drawn in float64 and rounded, so that both runs start from the same float32 values.
    Random random = new Random(7);
    ManyToMany<LstmState> model =
        new ManyToMany<>(
            LstmCell.random(LoopRun.INPUTS, HIDDEN, random), new Linear(HIDDEN, 1, random));
    model.to(DType.FLOAT32).to(dtype);
    return model;
  }

  private static Trainer<LstmState> trainer(
      ManyToMany<LstmState> model, DType dtype, CheckpointFolder checkpoints) {
    TrainerBuilder<LstmState> builder =
        Trainer.builder(
                model,
                Adam.builder(model.namedParameters()).learningRate(0.01).build(),
                LoopRun.BATCH,
                model.cell()::initialState)
            .source(position -> LoopRun.batch(position % 50))
            .step(
                (batch, state, unused) -> {
                  assertEquals(dtype, batch.inputs().dtype(), "the batch the loop hands over");
                  Unrolled<LstmState> run = model.run(Var.constant(batch.inputs()), state, null);
                  Var loss = Losses.meanSquaredError(run.stacked(), Var.constant(batch.targets()));
                  return StepResult.of(loss, run.finalState());
                })
            .validation(position -> LoopRun.batch(1_000 + position), 10, STEPS)
            .random(new Random(1));
    if (checkpoints != null) {
      builder.checkpoints(checkpoints, 10);
    }
    return builder.build();
  }
}

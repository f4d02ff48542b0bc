package dev.rewind.train;

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
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model converted with {@code Layer.to(FLOAT32)} trains through the unchanged training loop in
 * float32 — the loop converts the float64 batches and initial state — and ends where the same run
 * in float64 ends, to well within 1%.
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

  private static double validationLossAfterTraining(DType dtype) {
    // Drawn in float64 and rounded, so that both runs start from the same float32 values.
    Random random = new Random(7);
    ManyToMany<LstmState> model =
        new ManyToMany<>(
            LstmCell.random(LoopRun.INPUTS, HIDDEN, random), new Linear(HIDDEN, 1, random));
    model.to(DType.FLOAT32).to(dtype);
    Trainer<LstmState> trainer =
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
            .random(new Random(1))
            .build();
    trainer.fit(STEPS);
    for (Parameter parameter : model.parameters()) {
      assertEquals(dtype, parameter.dtype(), parameter.name());
    }
    return trainer.lastValidationLoss().orElseThrow();
  }
}

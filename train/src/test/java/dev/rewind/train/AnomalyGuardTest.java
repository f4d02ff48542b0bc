package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.train.checkpoint.TinyTraining;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import org.junit.jupiter.api.Test;

/**
 * A step that produces NaN or ±Inf is reported with its step, the first parameter whose gradient
 * went non-finite and the op that produced it; the optimizer's policy then skips it (counted) or
 * fails it, and either way no parameter changes.
 */
class AnomalyGuardTest {

  /** The loss plus √(0 · b): finite forward, but √'s backward at 0 is +Inf. */
  private static Var infiniteInBackward(TinyTraining run, Var loss) {
    return loss.add(run.model.namedParameters().get("readout.bias").mul(0.0).sqrt().sum());
  }

  /** The loss plus √(0 · loss − 1): NaN in the forward pass already. */
  private static Var notANumberInForward(Var loss) {
    return loss.add(loss.mul(0.0).add(-1.0).sqrt());
  }

  @Test
  void aStepThatGoesInfiniteInBackwardIsReportedAndSkipped() {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    run.train(3);
    TinyTraining.Fingerprint before = run.fingerprint();

    AnomalyGuard.Outcome outcome =
        run.step(run.guard, (batch, loss) -> infiniteInBackward(run, loss));

    assertTrue(outcome.skipped());
    assertEquals(1, run.guard.skippedSteps());
    AnomalyReport report = outcome.anomaly().orElseThrow();
    assertEquals(3, report.step());
    assertEquals("readout.bias", report.parameter());
    assertEquals(ImmutableList.of("readout.bias"), report.nonFiniteParameters());
    assertTrue(
        report
            .op()
            .startsWith(
                "anomaly: the backward pass of sqrt produced Inf in the gradient of input 0"),
        report.op());
    assertTrue(report.op().contains("AnomalyGuardTest.infiniteInBackward"), report.op());
    assertTrue(report.skipped());
    assertTrue(report.describe().startsWith("step 3: the gradient of readout.bias is not finite"));
    assertEquals(ImmutableList.of(report), run.guard.anomalies());
    assertEquals(before.parameters(), run.fingerprint().parameters());
    assertEquals(before.optimizer(), run.fingerprint().optimizer());
  }

  @Test
  void aStepThatGoesNaNInForwardNamesTheForwardOp() {
    TinyTraining run = new TinyTraining(Kind.SGD_MOMENTUM, 7);
    run.train(2);

    AnomalyReport report =
        run.step(run.guard, (batch, loss) -> notANumberInForward(loss)).anomaly().orElseThrow();

    assertEquals(2, report.step());
    assertTrue(Double.isNaN(report.loss()));
    assertEquals("cell.weightIh", report.parameter());
    assertTrue(report.op().startsWith("anomaly: sqrt produced NaN in its output"), report.op());
    assertTrue(report.op().contains("AnomalyGuardTest.notANumberInForward"), report.op());
  }

  @Test
  void onRecyclingTapesTheStepsAreTheSameAndTheOpAtFaultIsStillFound() {
    TinyTraining plain = new TinyTraining(Kind.ADAM, 7);
    TinyTraining recycled = new TinyTraining(Kind.ADAM, 7);
    recycled.guard.recyclingTapes();

    plain.train(4);
    recycled.train(4);
    AnomalyReport report =
        recycled
            .step(recycled.guard, (batch, loss) -> infiniteInBackward(recycled, loss))
            .anomaly()
            .orElseThrow();

    assertEquals(plain.fingerprint().parameters(), recycled.fingerprint().parameters());
    assertEquals("readout.bias", report.parameter());
    assertTrue(report.op().contains("AnomalyGuardTest.infiniteInBackward"), report.op());
  }

  @Test
  void trainingGoesOnAfterASkippedStep() {
    TinyTraining run = new TinyTraining(Kind.IRPROP_PLUS, 7);
    run.train(2);
    AnomalyGuard.Outcome skipped =
        run.step(run.guard, (batch, loss) -> infiniteInBackward(run, loss));
    run.train(3);

    assertTrue(skipped.skipped());
    assertEquals(1, run.guard.skippedSteps());
    assertEquals(5, run.optimizer.steps());
    assertEquals(6, run.step);
  }

  @Test
  void withTheThrowPolicyTheStepFailsWithTheReportAndNothingChanges() {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    run.train(2);
    Optimizer throwing =
        new ClippedOptimizer(
            TinyTraining.optimizer(Kind.ADAM, run.model.parameters()),
            ClipByGlobalNorm.l2(0.25),
            NonFinitePolicy.THROW);
    throwing.restoreState(run.optimizer.exportState());
    AnomalyGuard guard = new AnomalyGuard(run.model, throwing);
    TinyTraining.ParameterBits before = TinyTraining.bits(run.model);

    TrainingAnomalyException e =
        assertThrows(
            TrainingAnomalyException.class,
            () -> run.step(guard, (batch, loss) -> infiniteInBackward(run, loss)));

    assertEquals("readout.bias", e.report().parameter());
    assertFalse(e.report().skipped());
    assertTrue(e.getMessage().startsWith("step 2: the gradient of readout.bias"), e.getMessage());
    assertEquals(ImmutableList.of(e.report()), guard.anomalies());
    assertEquals(0, guard.skippedSteps());
    assertEquals(before, TinyTraining.bits(run.model));
    assertEquals(2, throwing.steps());
  }

  @Test
  void aPlainOptimizerFailsTheStepWithTheReport() {
    TinyTraining run = new TinyTraining(Kind.SGD_MOMENTUM, 7);
    Optimizer plain = TinyTraining.optimizer(Kind.SGD_MOMENTUM, run.model.parameters());
    AnomalyGuard guard = new AnomalyGuard(run.model, plain);

    TrainingAnomalyException e =
        assertThrows(
            TrainingAnomalyException.class,
            () -> run.step(guard, (batch, loss) -> notANumberInForward(loss)));

    assertTrue(e.report().op().startsWith("anomaly: sqrt produced NaN"), e.report().op());
  }

  @Test
  void detectingOnEveryStepGivesTheSameNumbersAndTheSameReport() {
    TinyTraining replay = new TinyTraining(Kind.ADAM, 7);
    TinyTraining everyStep = new TinyTraining(Kind.ADAM, 7);
    AnomalyGuard guard =
        new AnomalyGuard(everyStep.model, everyStep.optimizer, AnomalyGuard.Detection.EVERY_STEP);
    replay.train(4);
    for (int i = 0; i < 4; i++) {
      AnomalyGuard.Outcome unused = everyStep.step(guard, (batch, loss) -> loss);
    }
    assertEquals(replay.fingerprint(), everyStep.fingerprint());

    AnomalyReport byReplay =
        replay
            .step(replay.guard, (batch, loss) -> infiniteInBackward(replay, loss))
            .anomaly()
            .orElseThrow();
    AnomalyReport byEveryStep =
        everyStep
            .step(guard, (batch, loss) -> infiniteInBackward(everyStep, loss))
            .anomaly()
            .orElseThrow();

    assertEquals(byReplay, byEveryStep);
    assertEquals(1, guard.skippedSteps());
  }

  @Test
  void healthyStepsReportNothing() {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    run.train(5);

    assertEquals(ImmutableList.of(), run.guard.anomalies());
    assertEquals(0, run.guard.skippedSteps());
  }
}

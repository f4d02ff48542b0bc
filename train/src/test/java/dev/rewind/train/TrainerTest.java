package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.optim.Sgd;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.TinyTraining;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the loop does around each step: validation, early stopping, listeners, stopping, anomalies.
 */
class TrainerTest {
  @TempDir Path folder;

  /** Writes every event as a line. */
  private static final class Log implements TrainingListener {
    final List<String> lines = new ArrayList<>();

    @Override
    public void onStep(StepEvent event) {
      lines.add("step " + event.step());
    }

    @Override
    public void onValidation(ValidationEvent event) {
      lines.add("validation " + event.step() + (event.best() ? " best" : ""));
    }

    @Override
    public void onCheckpoint(long step, Path file) {
      lines.add("checkpoint " + step + " " + file.getFileName());
    }

    @Override
    public void onFinish(FitResult result) {
      lines.add("finish " + result.reason() + " at " + result.step());
    }
  }

  @Test
  void listenersHearEveryEventInOrder() throws Exception {
    Log log = new Log();
    ScalarRun model = new ScalarRun();
    Trainer<HiddenState> trainer =
        model
            .builder()
            .validation(position -> ScalarRun.batch(0, 0, 1), 1, 3)
            .checkpoints(CheckpointFolder.open(folder, 5), 5)
            .listener(log)
            .build();

    FitResult result = trainer.fit(6);

    assertEquals(
        List.of(
            "validation 0 best",
            "step 1",
            "step 2",
            "step 3",
            "validation 3",
            "step 4",
            "step 5",
            "checkpoint 5 step-000005.ckpt",
            "step 6",
            "validation 6",
            "checkpoint 6 step-000006.ckpt",
            "finish FINISHED at 6"),
        log.lines);
    assertEquals(6, result.stepsTaken());
    assertEquals(6, result.losses().size());
    assertEquals(folder.resolve("step-000006.ckpt"), result.lastCheckpoint().orElseThrow());
  }

  @Test
  void validationRunsBeforeTheFirstStepEveryNStepsAndAfterTheLast() {
    ScalarRun model = new ScalarRun();
    Trainer<HiddenState> trainer =
        model.builder().validation(position -> ScalarRun.batch(0, 0, 2), 3, 4).build();

    FitResult first = trainer.fit(10);
    FitResult second = trainer.fit(13);

    assertEquals(
        List.of(0L, 4L, 8L, 10L), first.validations().stream().map(ValidationEvent::step).toList());
    // Measured at step 10 already: the second call does not measure it again.
    assertEquals(
        List.of(12L, 13L), second.validations().stream().map(ValidationEvent::step).toList());
    assertEquals(2.0, first.finalValidationLoss().orElseThrow());
    assertEquals(0.5, first.validations().get(0).accuracy().orElseThrow());
  }

  @Test
  void validationRunsInEvaluationModeAndTrainingResumesInTheModeTheModelWasIn() {
    ScalarRun model = new ScalarRun();
    List<String> modes = new ArrayList<>();
    TrainingStep<HiddenState> step = ScalarRun.step(model);
    Trainer<HiddenState> trainer =
        model
            .builder()
            .step(
                (batch, state, random) -> {
                  modes.add(model.isTraining() ? "train" : "eval");
                  return step.run(batch, state, random);
                })
            .validation(position -> ScalarRun.batch(0, 0, 2), 1, 2)
            .build();

    trainer.fit(2);

    // Validation at steps 0 and 2 (one batch each), training steps 1 and 2.
    assertEquals(List.of("eval", "train", "train", "eval"), modes);
    assertTrue(model.isTraining());
    model.eval();
    modes.clear();
    trainer.fit(3);
    assertEquals(List.of("eval", "eval"), modes, "a model put in evaluation mode stays in it");
  }

  @Test
  void earlyStoppingStopsWhenPatienceValidationsInARowDidNotImproveByMinDelta() {
    double[] script = {5, 4, 3, 3.0, 2.95, 3.5, 1, 1, 1};
    AtomicInteger validations = new AtomicInteger();
    ScalarRun model = new ScalarRun();
    Log log = new Log();
    Trainer<HiddenState> trainer =
        model
            .builder()
            .validation(
                position -> ScalarRun.batch(0, 0, script[validations.getAndIncrement()]), 1, 2)
            .earlyStopping(3, 0.1)
            .listener(log)
            .build();

    FitResult result = trainer.fit(100);

    assertEquals(StopReason.EARLY_STOPPED, result.reason());
    assertEquals(10, result.step());
    assertEquals(10, trainer.steps());
    assertEquals(3.5, result.finalValidationLoss().orElseThrow());
    assertEquals(2.95, result.bestValidationLoss().orElseThrow());
    assertEquals(
        List.of(true, true, true, false, false, false),
        result.validations().stream().map(ValidationEvent::best).toList());
    assertEquals("finish EARLY_STOPPED at 10", log.lines.get(log.lines.size() - 1));
  }

  @Test
  void theRunsLastAndLowestValidationLossesSurviveAResume() throws Exception {
    // 2.95 is the lowest loss though early stopping (min delta 0.1) did not count it as a best.
    double[] script = {5, 4, 3, 2.95, 3.5, 3.6};
    AtomicInteger validations = new AtomicInteger();
    ScalarRun model = new ScalarRun();
    Trainer<HiddenState> trainer =
        model
            .builder()
            .validation(
                position -> ScalarRun.batch(0, 0, script[validations.getAndIncrement()]), 1, 2)
            .earlyStopping(5, 0.1)
            .checkpoints(CheckpointFolder.open(folder.resolve("losses"), 2), 2)
            .build();
    assertTrue(trainer.lastValidationLoss().isEmpty());
    assertTrue(trainer.lowestValidationLoss().isEmpty());

    trainer.fit(8);
    assertEquals(3.5, trainer.lastValidationLoss().orElseThrow());
    assertEquals(2.95, trainer.lowestValidationLoss().orElseThrow());

    Trainer<HiddenState> resumed =
        new ScalarRun()
            .builder()
            .validation(position -> ScalarRun.batch(0, 0, 9), 1, 2)
            .earlyStopping(5, 0.1)
            .checkpoints(CheckpointFolder.open(folder.resolve("losses-copy"), 2), 2)
            .build();
    copyFolder(folder.resolve("losses"), folder.resolve("losses-copy"));
    resumed.resume();
    assertEquals(8, resumed.steps());
    assertEquals(3.5, resumed.lastValidationLoss().orElseThrow());
    assertEquals(2.95, resumed.lowestValidationLoss().orElseThrow());
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    try (var files = Files.list(from)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  /**
   * Training pulls w from 0.5 towards 1; the validation loss (w − 0.9)² falls until step 7 and
   * rises after, so patience 2 stops at step 9.
   */
  private static Trainer<HiddenState> stoppingRun(ScalarRun model, CheckpointFolder checkpoints) {
    return model
        .builder()
        .validation(position -> ScalarRun.batch(0.9, 1, 0), 1, 1)
        .earlyStopping(2, 0)
        .checkpoints(checkpoints, 4)
        .build();
  }

  @Test
  void earlyStoppingResumedFromACheckpointStopsAtTheStepOfAnUninterruptedRun() throws Exception {
    FitResult uninterrupted =
        stoppingRun(new ScalarRun(), CheckpointFolder.open(folder.resolve("whole"), 2)).fit(100);
    CheckpointFolder halves = CheckpointFolder.open(folder.resolve("halves"), 2);
    FitResult first = stoppingRun(new ScalarRun(), halves).fit(8);
    ScalarRun resumedModel = new ScalarRun();
    Trainer<HiddenState> resumed = stoppingRun(resumedModel, halves);
    resumed.resume();
    FitResult second = resumed.fit(100);

    assertEquals(StopReason.EARLY_STOPPED, uninterrupted.reason());
    assertEquals(9, uninterrupted.step());
    assertEquals(StopReason.FINISHED, first.reason());
    assertEquals(StopReason.EARLY_STOPPED, second.reason());
    assertEquals(9, second.step());
    assertEquals(List.of(9L), second.validations().stream().map(ValidationEvent::step).toList());
    FitResult again = resumed.fit(100);
    assertEquals(StopReason.EARLY_STOPPED, again.reason());
    assertEquals(0, again.stepsTaken());
  }

  @Test
  void aStopRequestedBeforeTheFirstStepMeasuresTrainsAndSavesNothing() throws Exception {
    ScalarRun model = new ScalarRun();
    Log log = new Log();
    CheckpointFolder checkpoints = CheckpointFolder.open(folder, 5);
    try (GracefulStop stop = GracefulStop.manual()) {
      stop.request();
      Trainer<HiddenState> trainer =
          model
              .builder()
              .validation(position -> ScalarRun.batch(0.9, 0, 1), 1, 1)
              .checkpoints(checkpoints, 1)
              .stopOn(stop)
              .listener(log)
              .build();

      FitResult result = trainer.fit(100);

      assertEquals(StopReason.STOPPED, result.reason());
      assertEquals(0, result.stepsTaken());
      assertEquals(List.of("finish STOPPED at 0"), log.lines);
      assertEquals(List.of(), checkpoints.checkpoints());
      assertEquals(0.5, model.w.value().item());
    }
  }

  @Test
  void aGracefulStopEndsAtAStepBoundaryWithAFinalCheckpoint() throws Exception {
    ScalarRun model = new ScalarRun();
    CheckpointFolder checkpoints = CheckpointFolder.open(folder, 5);
    try (GracefulStop stop = GracefulStop.manual()) {
      Trainer<HiddenState> trainer =
          model
              .builder()
              .checkpoints(checkpoints, 10)
              .stopOn(stop)
              .listener(
                  new TrainingListener() {
                    @Override
                    public void onStep(StepEvent event) {
                      if (event.step() == 3) {
                        stop.request();
                      }
                    }
                  })
              .build();

      FitResult result = trainer.fit(100);

      assertEquals(StopReason.STOPPED, result.reason());
      assertEquals(3, result.step());
      assertEquals(List.of(folder.resolve("step-000003.ckpt")), checkpoints.checkpoints());
    }
  }

  @Test
  void aNonFiniteStepIsReportedWithItsStepAndParameterAndSkippedByThePolicy() {
    ScalarRun model = new ScalarRun();
    List<StepEvent> events = new ArrayList<>();
    Trainer<HiddenState> trainer =
        Trainer.builder(
                model,
                new ClippedOptimizer(
                    Sgd.builder(model.parameters()).learningRate(0.1).build(),
                    ClipByGlobalNorm.l2(1),
                    NonFinitePolicy.SKIP_STEP),
                1,
                size -> HiddenState.zeros(size, 1))
            .source(position -> ScalarRun.batch(position == 1 ? Double.NaN : 1, 1, 0))
            .step(ScalarRun.step(model))
            .listener(
                new TrainingListener() {
                  @Override
                  public void onStep(StepEvent event) {
                    events.add(event);
                  }
                })
            .build();

    FitResult unused = trainer.fit(3);

    assertEquals(List.of(false, true, false), events.stream().map(StepEvent::skipped).toList());
    AnomalyReport report = events.get(1).anomaly().orElseThrow();
    assertEquals(2, report.step());
    assertEquals("w", report.parameter());
    assertEquals(1, trainer.guard().skippedSteps());
  }

  @Test
  void aNonFiniteStepUnderAThrowingPolicyStopsTheLoopWithTheReport() {
    ScalarRun model = new ScalarRun();
    Trainer<HiddenState> trainer =
        Trainer.builder(
                model,
                Sgd.builder(model.parameters()).learningRate(0.1).build(),
                1,
                size -> HiddenState.zeros(size, 1))
            .source(position -> ScalarRun.batch(position == 1 ? Double.NaN : 1, 1, 0))
            .step(ScalarRun.step(model))
            .build();

    TrainingAnomalyException e = assertThrows(TrainingAnomalyException.class, () -> trainer.fit(3));

    assertEquals(2, e.report().step());
    assertEquals(1, trainer.steps());
  }

  @Test
  void theLoopNeverWritesToStandardOutputOrError() throws Exception {
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream capture = new PrintStream(written, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      LoopRun run =
          new LoopRun(
              TinyTraining.Kind.ADAM, LoopRun.Cell.LSTM, 7, CheckpointFolder.open(folder, 2), 3);
      FitResult unused = run.trainer.fit(7);
      ScalarRun model = new ScalarRun();
      FitResult alsoUnused =
          model
              .builder()
              .validation(position -> ScalarRun.batch(0, 0, 1), 1, 2)
              .earlyStopping(1, 0)
              .build()
              .fit(10);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    assertEquals("", written.toString(StandardCharsets.UTF_8));
  }

  @Test
  void windowsAndContinuingBatchesStartFromTheCarriedStateAndNewBatchesFromTheInitialOne() {
    ScalarRun model = new ScalarRun();
    List<Double> starts = new ArrayList<>();
    Trainer<HiddenState> trainer =
        Trainer.builder(
                model,
                Sgd.builder(model.parameters()).learningRate(0.1).build(),
                1,
                size -> HiddenState.zeros(size, 1))
            .source(
                position -> {
                  Batch batch = Batch.of(Tensor.zeros(1, 2, 1), Tensor.zeros(1, 2, 1));
                  return position % 2 == 1 ? batch.continuing() : batch;
                })
            .step(
                (batch, state, random) -> {
                  double start = state.h().value().item();
                  starts.add(start);
                  HiddenState next =
                      new HiddenState(Var.constant(Tensor.full(Shape.of(1, 1), start + 1)));
                  return StepResult.of(model.w.mul(model.w).sum(), next);
                })
            .truncate(1)
            .build();

    FitResult unused = trainer.fit(6);

    assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 0.0, 1.0), starts);
    assertEquals(3, trainer.position());
  }

  @Test
  void resumeLetsTheCallerRefuseACheckpointOnItsAttributesBeforeAnythingIsRestored()
      throws Exception {
    try (CheckpointFolder checkpoints = CheckpointFolder.open(folder, 2)) {
      FitResult unused =
          new ScalarRun()
              .builder()
              .checkpoints(checkpoints, 2)
              .attributes(java.util.Map.of("lr", "0.1"))
              .attribute("corpus", "sines")
              .build()
              .fit(4);
      ScalarRun model = new ScalarRun();
      Trainer<HiddenState> other =
          model
              .builder()
              .checkpoints(checkpoints, 2)
              .attributes(java.util.Map.of("lr", "0.2"))
              .build();

      IllegalArgumentException refusal =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  other.resume(
                      (file, saved) -> {
                        throw new IllegalArgumentException(
                            file.getFileName()
                                + " has lr "
                                + saved.attributes().get("lr")
                                + " on "
                                + saved.attributes().get("corpus"));
                      }));

      assertEquals("step-000004.ckpt has lr 0.1 on sines", refusal.getMessage());
      assertEquals(0, other.steps());
      assertEquals(0.5, model.w.value().item());
      assertEquals(4, other.resume((file, saved) -> {}).orElseThrow().progress().step());
      assertEquals(4, other.steps());
    }
  }

  @Test
  void resumeNeedsCheckpointsAndChangesNothingWhenTheFolderIsEmpty() throws Exception {
    ScalarRun model = new ScalarRun();
    Trainer<HiddenState> without = model.builder().build();
    Trainer<HiddenState> empty =
        model.builder().checkpoints(CheckpointFolder.open(folder, 2), 5).build();

    assertEquals(
        "trainer: resume() needs checkpoints(folder, everySteps)",
        assertThrows(IllegalStateException.class, without::resume).getMessage());
    assertTrue(empty.resume().isEmpty());
    assertEquals(0, empty.steps());
    assertEquals(0.5, model.w.value().item());
  }

  @Test
  void badConfigurationIsNamedWhereItIsMade() {
    ScalarRun model = new ScalarRun();
    assertEquals(
        "trainer: truncate(0): a window must be at least 1 step",
        assertThrows(IllegalArgumentException.class, () -> model.builder().truncate(0))
            .getMessage());
    assertEquals(
        "trainer: early stopping needs validation(source, batches, everySteps)",
        assertThrows(IllegalStateException.class, () -> model.builder().earlyStopping(2, 0).build())
            .getMessage());
    assertEquals(
        "trainer: no step function: call step((batch, state, random) -> ...)",
        assertThrows(
                IllegalStateException.class,
                () ->
                    Trainer.builder(
                            model,
                            Sgd.builder(model.parameters()).learningRate(0.1).build(),
                            1,
                            size -> HiddenState.zeros(size, 1))
                        .source(position -> ScalarRun.batch(1, 1, 0))
                        .build())
            .getMessage());
    Trainer<HiddenState> trainer = model.builder().build();
    trainer.fit(2);
    assertEquals(
        "trainer: fit(1) asks for fewer steps than the 2 already taken",
        assertThrows(IllegalArgumentException.class, () -> trainer.fit(1)).getMessage());
  }

  @Test
  void badBatchesAreNamedWithTheirShapes() {
    assertEquals(
        "batch: mask [2, 4] does not fit inputs [2, 5, 3]: expected [2, 5]",
        assertThrows(
                IllegalArgumentException.class,
                () -> Batch.masked(Tensor.zeros(2, 5, 3), Tensor.zeros(2, 5), Tensor.ones(2, 4)))
            .getMessage());
    assertEquals(
        "batch: targets [2, 1] have no time axis of the inputs' 5 steps (inputs [2, 5, 3]), so"
            + " they cannot be cut into windows; truncate only per-step targets",
        assertThrows(
                IllegalArgumentException.class,
                () -> Batch.of(Tensor.zeros(2, 5, 3), Tensor.zeros(2, 1)).window(0, 2))
            .getMessage());
    ScalarRun model = new ScalarRun();
    Trainer<HiddenState> trainer =
        Trainer.builder(
                model,
                Sgd.builder(model.parameters()).learningRate(0.1).build(),
                4,
                size -> HiddenState.zeros(size, 1))
            .source(position -> ScalarRun.batch(1, 1, 0))
            .step(ScalarRun.step(model))
            .build();
    assertEquals(
        "trainer: the batch at position 0 has 1 sequences; the initial state is for 4",
        assertThrows(IllegalArgumentException.class, trainer::trainStep).getMessage());
  }
}

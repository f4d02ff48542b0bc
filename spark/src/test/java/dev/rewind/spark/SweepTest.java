package dev.rewind.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.spark.demo.CorpusExperiment;
import dev.rewind.spark.demo.SweepConfig;
import dev.rewind.train.StepEvent;
import dev.rewind.train.Trainer;
import dev.rewind.train.TrainerBuilder;
import dev.rewind.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
  private static final CorpusExperiment EXPERIMENT = new CorpusExperiment(4, 16, 10);
  private static final long STEPS = 20;
  private static final List<SweepConfig> CONFIGS =
      List.of(
          new SweepConfig("lstm", 8, 4, "adam", 0.01, 1, STEPS),
          new SweepConfig("gru", 8, 4, "adam", 0.01, 1, STEPS),
          new SweepConfig("gru", 8, 4, "adam", 0.01, 2, STEPS),
          new SweepConfig("elman", 8, 4, "sgd", 0.1, 1, STEPS),
          new SweepConfig("mgu", 8, 4, "adam", 0.01, 1, STEPS),
          new SweepConfig("mgu", 8, 4, "rprop", 0.01, 1, STEPS));

  @TempDir static Path temp;
  private static Path dataset;
  private static JavaSparkContext spark;

  @BeforeAll
  static void start() throws IOException {
    dataset = temp.resolve("corpus.txt");
    Files.writeString(dataset, DefaultCorpus.corpus().text(), StandardCharsets.UTF_8);
    spark = LocalSpark.start("local[2,2]"); // two threads; a failed task is tried twice
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Sweep<SweepConfig> sweep(Experiment<SweepConfig> experiment, Path folder) {
    return Sweep.builder(experiment)
        .dataset(dataset.toString())
        .checkpoints(folder.toString(), 5)
        .build();
  }

  /** The configuration trained on its own, in this JVM, without Spark or checkpoints. */
  private static Trainer<?> trainedAlone(SweepConfig config) {
    SharedFiles files =
        new SharedFiles(dataset.toString(), new HadoopSettings(new Configuration()));
    Trainer<?> trainer = EXPERIMENT.trainer(config, files).build();
    trainer.fit(config.steps());
    return trainer;
  }

  private static void assertRowIsTheRunAlone(SweepRow<SweepConfig> row) {
    Trainer<?> alone = trainedAlone(row.config());
    assertEquals(alone.steps(), row.steps(), row.name());
    assertEquals(
        alone.lastValidationLoss().getAsDouble(), row.finalValidationLoss(), 0.0, row.name());
    assertEquals(
        alone.lowestValidationLoss().getAsDouble(), row.bestValidationLoss(), 0.0, row.name());
  }

  @Test
  void aSweepOfSixConfigurationsMatchesEachTrainedAlone() {
    Path folder = temp.resolve("sweep");
    SweepTable<SweepConfig> table = sweep(EXPERIMENT, folder).run(spark, CONFIGS);

    assertEquals(CONFIGS.size(), table.rows().size());
    for (int i = 0; i < CONFIGS.size(); i++) {
      SweepRow<SweepConfig> row = table.rows().get(i);
      assertEquals(CONFIGS.get(i), row.config());
      assertEquals(0, row.resumedFrom(), row.name());
      assertRowIsTheRunAlone(row);
      assertTrue(
          Files.isRegularFile(folder.resolve(row.name()).resolve("step-000020.ckpt")), row.name());
    }
    assertTrue(table.format().contains("gru-h8-adam-0.01-s2"), table.format());

    // Run again over the same folder: every configuration resumes at its end and takes no step.
    SweepTable<SweepConfig> again = sweep(EXPERIMENT, folder).run(spark, CONFIGS);
    for (int i = 0; i < CONFIGS.size(); i++) {
      assertEquals(STEPS, again.rows().get(i).resumedFrom());
      assertEquals(
          table.rows().get(i).finalValidationLoss(),
          again.rows().get(i).finalValidationLoss(),
          0.0);
    }
  }

  /** The experiment, but the first attempt of every task fails at step 13. */
  record FailingOnce(CorpusExperiment inner) implements Experiment<SweepConfig> {
    @Override
    public String name(SweepConfig config) {
      return inner.name(config);
    }

    @Override
    public long steps(SweepConfig config) {
      return inner.steps(config);
    }

    @Override
    public TrainerBuilder<?> trainer(SweepConfig config, SharedFiles dataset) {
      return inner
          .trainer(config, dataset)
          .listener(
              new TrainingListener() {
                @Override
                public void onStep(StepEvent event) {
                  if (event.step() == 13 && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure at step 13");
                  }
                }
              });
    }
  }

  @Test
  void aTaskKilledMidRunResumesFromItsLastCheckpoint() {
    List<SweepConfig> two = List.of(CONFIGS.get(0), CONFIGS.get(4));
    SweepTable<SweepConfig> table =
        sweep(new FailingOnce(EXPERIMENT), temp.resolve("failing")).run(spark, two);
    for (SweepRow<SweepConfig> row : table.rows()) {
      assertEquals(1, row.attempt(), row.name() + " ran a second time");
      assertEquals(10, row.resumedFrom(), row.name() + " resumed from the step-10 checkpoint");
      assertEquals(STEPS, row.steps());
      assertRowIsTheRunAlone(row);
    }
  }

  /** The experiment, but a run is named by its cell alone: two learning rates share a folder. */
  record NamedByCell(CorpusExperiment inner) implements Experiment<SweepConfig> {
    @Override
    public String name(SweepConfig config) {
      return config.cell();
    }

    @Override
    public long steps(SweepConfig config) {
      return inner.steps(config);
    }

    @Override
    public TrainerBuilder<?> trainer(SweepConfig config, SharedFiles dataset) {
      return inner.trainer(config, dataset);
    }
  }

  @Test
  void checkpointsOfAnotherConfigurationUnderTheSameNameAreRefusedBeforeAnythingTrains()
      throws IOException {
    Path folder = temp.resolve("same-name");
    SweepConfig first = new SweepConfig("gru", 8, 4, "adam", 0.01, 1, 10);
    SweepConfig other = new SweepConfig("gru", 8, 4, "adam", 0.02, 1, 10);
    sweep(new NamedByCell(EXPERIMENT), folder).run(spark, List.of(first));
    Path saved = folder.resolve("gru").resolve("step-000010.ckpt");
    byte[] before = Files.readAllBytes(saved);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> sweep(new NamedByCell(EXPERIMENT), folder).run(spark, List.of(other)));
    assertEquals(
        "sweep: gru: "
            + folder.resolve("gru")
            + " holds the checkpoints of another configuration, "
            + first
            + ", not of "
            + other
            + ": give the sweep another checkpoint folder",
        e.getMessage());
    assertTrue(Arrays.equals(before, Files.readAllBytes(saved)), "the first run's checkpoint");
  }

  @Test
  void configurationsThatFailValidationAreAllNamedAndNothingTrains() {
    Path folder = temp.resolve("invalid");
    List<SweepConfig> configs =
        List.of(
            CONFIGS.get(0),
            new SweepConfig("lstmm", 8, 4, "adam", 0.01, 1, STEPS),
            new SweepConfig("gru", 0, 4, "adam", 0.01, 1, STEPS),
            CONFIGS.get(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> sweep(EXPERIMENT, folder).run(spark, configs));
    String message = e.getMessage();
    assertTrue(
        message.startsWith("sweep: 3 of 4 configurations cannot run, nothing was trained"),
        message);
    assertTrue(message.contains("unknown cell 'lstmm'"), message);
    assertTrue(message.contains("hidden size 0 must be positive"), message);
    assertTrue(message.contains("name 'lstm-h8-adam-0.01-s1' is used twice"), message);
    assertFalse(Files.exists(folder), "nothing was written");
  }

  @Test
  void anUnreadableDatasetIsRefusedBeforeAnythingTrains() {
    Path folder = temp.resolve("no-data");
    Sweep<SweepConfig> sweep =
        Sweep.builder(EXPERIMENT)
            .dataset(temp.resolve("missing.txt").toString())
            .checkpoints(folder.toString(), 5)
            .build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sweep.run(spark, CONFIGS));
    assertEquals(
        "sweep: dataset " + temp.resolve("missing.txt") + " does not exist", e.getMessage());
    assertFalse(Files.exists(folder), "nothing was written");
  }

  @Test
  void aCheckpointFolderTheExecutorsCannotWriteIsRefusedBeforeAnythingTrains() throws IOException {
    spark.hadoopConfiguration().set("fs.refusing.impl", TaskRefusingFileSystem.class.getName());
    spark.hadoopConfiguration().setBoolean("fs.refusing.impl.disable.cache", true);
    Path folder = temp.resolve("executors-refused");
    String shared = TaskRefusingFileSystem.SCHEME + "://" + folder.toUri().getPath();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Sweep.builder(EXPERIMENT)
                    .dataset(dataset.toString())
                    .checkpoints(shared, 5)
                    .build()
                    .run(spark, CONFIGS));
    assertTrue(
        e.getMessage()
            .startsWith(
                "sweep: checkpoint folder "
                    + shared
                    + " cannot be written from the executors: task "),
        e.getMessage());
    assertTrue(e.getMessage().contains("executors may not write here"), e.getMessage());
    try (var written = Files.list(folder)) {
      assertEquals(List.of(), written.toList(), "no run started");
    }
  }

  @Test
  void aCheckpointFolderThatCannotBeWrittenIsRefusedBeforeAnythingTrains() {
    // Under a file, no folder can be made, whoever runs the test (root included).
    Path folder = dataset.resolve("checkpoints");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> sweep(EXPERIMENT, folder).run(spark, CONFIGS));
    assertTrue(
        e.getMessage()
            .startsWith(
                "sweep: checkpoint folder " + folder + " cannot be written from the driver"),
        e.getMessage());
  }
}

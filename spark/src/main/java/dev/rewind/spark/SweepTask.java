package dev.rewind.spark;

import dev.rewind.train.FitResult;
import dev.rewind.train.Trainer;
import dev.rewind.train.TrainingListener;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.Progress;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;

/**
 * One configuration of a sweep, as a Spark task runs it: the shared checkpoints copied into a
 * private folder on the executor's disk, the loop resumed from the newest, trained to the end with
 * every checkpoint copied back up as it is written.
 */
final class SweepTask<C extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;
  // The attribute every checkpoint of a sweep's run carries: the configuration, as its toString.
  static final String CONFIGURATION = "sweep.configuration";

  private final Experiment<C> experiment;
  private final SharedFiles dataset;
  private final String folder;
  private final HadoopSettings settings;
  private final long every;
  private final int keep;

  SweepTask(
      Experiment<C> experiment,
      SharedFiles dataset,
      String folder,
      HadoopSettings settings,
      long every,
      int keep) {
    this.experiment = experiment;
    this.dataset = dataset;
    this.folder = folder;
    this.settings = settings;
    this.every = every;
    this.keep = keep;
  }

  SweepRow<C> train(C config) throws IOException {
    String name = experiment.name(config);
    SharedCheckpoints shared =
        new SharedCheckpoints(new org.apache.hadoop.fs.Path(folder, name).toString(), settings);
    // The executor's copy, its own: a retry on this or another executor starts from the shared one.
    Path local = Files.createTempDirectory("rewind-sweep-" + name + "-");
    try {
      shared.download(local);
      try (CheckpointFolder checkpoints = CheckpointFolder.open(local, keep)) {
        Trainer<?> trainer =
            experiment
                .trainer(config, dataset)
                .checkpoints(checkpoints, every)
                .attribute(CONFIGURATION, config.toString())
                .listener(
                    new TrainingListener() {
                      @Override
                      public void onCheckpoint(long step, Path file) {
                        try {
                          shared.upload(file, checkpoints.checkpoints());
                        } catch (IOException e) {
                          throw new UncheckedIOException(
                              "sweep: "
                                  + name
                                  + ": checkpoint "
                                  + file.getFileName()
                                  + " could not be copied to "
                                  + folder,
                              e);
                        }
                      }
                    })
                .build();
        trainer.resume((file, saved) -> requireSameConfiguration(name, config, file, saved));
        long resumedFrom = trainer.steps();
        long start = System.nanoTime();
        FitResult result = trainer.fit(Math.max(experiment.steps(config), trainer.steps()));
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        TaskContext context = TaskContext.get();
        return new SweepRow<>(
            config,
            name,
            SweepRow.orNaN(trainer.lastValidationLoss()),
            SweepRow.orNaN(trainer.lowestValidationLoss()),
            result.step(),
            resumedFrom,
            context == null ? 0 : context.attemptNumber(),
            time);
      }
    } finally {
      deleteLocalCopy(local);
    }
  }

  /**
   * Refuses a checkpoint saved by another configuration of the same name (a name that leaves out a
   * setting, or a folder reused): resuming it would continue someone else's run. The sweep checks
   * this before submitting; here it holds for a folder changed since.
   */
  private void requireSameConfiguration(String name, C config, Path file, Progress saved) {
    String before = saved.attributes().get(CONFIGURATION);
    if (before != null && !before.equals(config.toString())) {
      throw new IllegalStateException(otherConfiguration(folder, name, before, config));
    }
  }

  /**
   * What is wrong when {@code folder}'s run {@code name} was saved by configuration {@code before}.
   */
  static String otherConfiguration(String folder, String name, String before, Object config) {
    return "sweep: "
        + name
        + ": "
        + new org.apache.hadoop.fs.Path(folder, name)
        + " holds the checkpoints of another configuration, "
        + before
        + ", not of "
        + config
        + ": give the sweep another checkpoint folder";
  }

  // The private copy only: the shared folder keeps the run's checkpoints.
  private static void deleteLocalCopy(Path local) throws IOException {
    try (Stream<Path> files = Files.walk(local)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}

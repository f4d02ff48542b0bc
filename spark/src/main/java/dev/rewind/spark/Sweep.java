package dev.rewind.spark;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains each of a list of configurations as one Spark task with the {@code train} loop, and
 * returns a table: configuration, final and best validation loss, steps, time.
 *
 * <pre>{@code
 * Sweep<MyConfig> sweep =
 *     Sweep.builder(new MyExperiment())
 *         .dataset("hdfs:///data/corpus.txt")          // every executor reads it
 *         .checkpoints("hdfs:///runs/sweep-1", 50)     // a folder per configuration, every 50 steps
 *         .build();
 * SweepTable<MyConfig> table = sweep.run(spark, configs);
 * System.out.print(table.format());
 * }</pre>
 *
 * <p>Each task checkpoints its run to {@code <folder>/<name>/} every N steps and after the last.
 * When a task fails (an executor lost, an exception), Spark runs it again, up to {@code
 * spark.task.maxFailures} times; the new attempt resumes from the newest checkpoint, not from step
 * 0, and (the {@code train} loop's exact resume) ends with the same weights and losses as a run
 * never interrupted. A sweep run again over the same folder resumes every configuration, and one
 * that has finished takes no step.
 *
 * <p>Before any executor trains, {@link #run} checks the configurations (unique, valid names; the
 * experiment's own {@link Experiment#validate}), that the dataset can be read and that the
 * checkpoint folder can be written from the driver and from the executors, and fails with one
 * message naming every problem.
 *
 * @param <C> a configuration
 */
public final class Sweep<C extends Serializable> {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Experiment<C> experiment;
  private final String dataset;
  private final String folder;
  private final long every;
  private final int keep;

  private Sweep(Builder<C> builder) {
    this.experiment = builder.experiment;
    this.dataset = builder.dataset;
    this.folder = builder.folder;
    this.every = builder.every;
    this.keep = builder.keep;
  }

  /** A sweep that trains configurations as {@code experiment} says. */
  public static <C extends Serializable> Builder<C> builder(Experiment<C> experiment) {
    return new Builder<>(experiment);
  }

  /**
   * Trains every configuration, one Spark task each, and returns their rows in the order given. A
   * task that fails more often than Spark retries it fails the job: Spark's {@code SparkException}
   * reaches the caller, and the shared folder keeps every run's checkpoints.
   *
   * @throws IllegalArgumentException before anything trains, naming every configuration that fails
   *     validation, a dataset that cannot be read, or a checkpoint folder that cannot be written
   */
  public SweepTable<C> run(JavaSparkContext spark, List<C> configs) {
    checkArgument(spark != null, "sweep: no Spark context");
    HadoopSettings settings = new HadoopSettings(spark.hadoopConfiguration());
    List<String> names = checkConfigs(configs);
    SharedFiles data = SharedFiles.of(spark, dataset);
    data.requireReadable();
    SweepFolder.requireWritable(spark, folder, settings);
    requireOwnCheckpoints(configs, names, settings);

    SweepTask<C> task = new SweepTask<>(experiment, data, folder, settings, every, keep);
    List<C> copies = new ArrayList<>(configs);
    // One partition per configuration: one task each, retried alone.
    List<SweepRow<C>> rows = spark.parallelize(copies, copies.size()).map(task::train).collect();
    return new SweepTable<>(ImmutableList.copyOf(rows));
  }

  /**
   * Refuses configurations whose folder holds the checkpoints of another configuration of the same
   * name: resuming them would continue someone else's run.
   */
  private void requireOwnCheckpoints(List<C> configs, List<String> names, HadoopSettings settings) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      String name = names.get(i);
      String path = new org.apache.hadoop.fs.Path(folder, name).toString();
      Optional<String> before =
          new SharedCheckpoints(path, settings).newestAttribute(SweepTask.CONFIGURATION);
      String config = configs.get(i).toString();
      if (before.isPresent() && !before.get().equals(config)) {
        problems.add(SweepTask.otherConfiguration(folder, name, before.get(), config));
      }
    }
    checkArgument(problems.isEmpty(), "%s", String.join(String.format("%n"), problems));
  }

  private List<String> checkConfigs(List<C> configs) {
    checkArgument(configs != null && !configs.isEmpty(), "sweep: no configurations to train");
    List<String> problems = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < configs.size(); i++) {
      C config = configs.get(i);
      if (config == null) {
        problems.add("configuration " + i + " is null");
        continue;
      }
      String name;
      try {
        name = experiment.name(config);
        experiment.validate(config);
        long steps = experiment.steps(config);
        if (steps < 0) {
          problems.add(
              "configuration " + i + " (" + name + "): the step count " + steps + " is negative");
        }
      } catch (RuntimeException e) {
        problems.add("configuration " + i + ": " + e.getMessage());
        continue;
      }
      if (name == null || !SAFE_NAME.matcher(name).matches()) {
        problems.add(
            "configuration "
                + i
                + ": name '"
                + name
                + "' is not a safe folder name (letters, digits, . _ -)");
      } else if (!seen.add(name)) {
        problems.add("configuration " + i + ": name '" + name + "' is used twice");
      }
      names.add(name);
    }
    checkArgument(
        problems.isEmpty(),
        "sweep: %s of %s configurations cannot run, nothing was trained:%n  %s",
        problems.size(),
        configs.size(),
        String.join(String.format("%n  "), problems));
    return names;
  }

  /**
   * What a sweep reads and where it checkpoints.
   *
   * @param <C> a configuration
   */
  public static final class Builder<C extends Serializable> {
    private final Experiment<C> experiment;
    private String dataset;
    private String folder;
    private long every = 100;
    private int keep = 2;

    private Builder(Experiment<C> experiment) {
      checkArgument(experiment != null, "sweep: no experiment");
      this.experiment = experiment;
    }

    /** The dataset every executor reads: a path Hadoop's file system reaches. */
    @CanIgnoreReturnValue
    public Builder<C> dataset(String path) {
      checkArgument(path != null && !path.isBlank(), "sweep: the dataset path is empty");
      this.dataset = path;
      return this;
    }

    /**
     * The shared folder the runs checkpoint to, one folder per configuration inside it, and how
     * often: every {@code everySteps} steps and after the last.
     */
    @CanIgnoreReturnValue
    public Builder<C> checkpoints(String folder, long everySteps) {
      checkArgument(folder != null && !folder.isBlank(), "sweep: the checkpoint folder is empty");
      checkArgument(everySteps >= 1, "sweep: checkpoint interval %s must be positive", everySteps);
      this.folder = folder;
      this.every = everySteps;
      return this;
    }

    /** The checkpoints each run keeps: its newest {@code count} (2 by default). */
    @CanIgnoreReturnValue
    public Builder<C> keep(int count) {
      checkArgument(count >= 1, "sweep: checkpoints kept %s must be at least 1", count);
      this.keep = count;
      return this;
    }

    public Sweep<C> build() {
      checkArgument(dataset != null, "sweep: no dataset given");
      checkArgument(folder != null, "sweep: no checkpoint folder given");
      return new Sweep<>(this);
    }
  }
}

package dev.rewind.spark;

import dev.rewind.train.TrainerBuilder;
import java.io.Serializable;

/**
 * How a {@link Sweep} trains one configuration: the training loop of your model, cell, optimizer
 * and data for it. Spark ships it to the executors, so it must be serializable and hold settings
 * only; everything else is built in {@link #trainer}, on the executor.
 *
 * @param <C> a configuration: cell and its options, sizes, optimizer and its hyperparameters, seed
 */
public interface Experiment<C extends Serializable> extends Serializable {

  /**
   * The configuration's name: the name of its checkpoint folder under the sweep's and of its row.
   * Names are unique in a sweep and safe as file names (letters, digits, {@code . _ -}).
   */
  String name(C config);

  /**
   * Checks {@code config} on the driver before any executor trains.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  default void validate(C config) {}

  /** The steps to train {@code config} for, in all. */
  long steps(C config);

  /**
   * The training loop of {@code config}, reading the sweep's {@code dataset} (a path for {@link
   * SharedFiles#readString}): model, optimizer, source, step, validation and the run's generator,
   * seeded from the configuration. The sweep adds the checkpoints and resumes from them; without
   * validation, the row has no losses.
   */
  TrainerBuilder<?> trainer(C config, SharedFiles dataset);
}

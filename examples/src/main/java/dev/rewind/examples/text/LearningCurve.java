package dev.rewind.examples.text;

import dev.rewind.examples.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The losses of a training run: the loss of every step's window (before its update) and the
 * validation loss at the steps where it was measured, all in nats per character.
 */
public final class LearningCurve {
  private final long firstStep;
  private final List<Double> training = new ArrayList<>();
  private final List<Double> validationSteps = new ArrayList<>();
  private final List<Double> validation = new ArrayList<>();

  /** The losses of a run from its first step. */
  public LearningCurve() {
    this(0);
  }

  /**
   * The losses of a run that starts after {@code firstStep} steps (a resumed run): the first
   * training loss added is that of step {@code firstStep + 1}.
   */
  public LearningCurve(long firstStep) {
    this.firstStep = firstStep;
  }

  /** The steps taken before this curve's first training loss: 0, or the step a run resumed at. */
  public long firstStep() {
    return firstStep;
  }

  /** Adds the loss of the next training step. */
  public void addTraining(double loss) {
    training.add(loss);
  }

  /** Adds a validation loss measured after {@code step} steps (0: before training). */
  public void addValidation(long step, double loss) {
    validationSteps.add((double) step);
    validation.add(loss);
  }

  public double[] training() {
    return toArray(training);
  }

  public double[] validationSteps() {
    return toArray(validationSteps);
  }

  public double[] validation() {
    return toArray(validation);
  }

  /** The validation loss measured last, or NaN if none was. */
  public double lastValidation() {
    return validation.isEmpty() ? Double.NaN : validation.get(validation.size() - 1);
  }

  /**
   * Plots both curves against the step, with a horizontal line at each finite {@code baselines}
   * value (such as the loss of guessing uniformly), named by its key.
   */
  public void plot(Path png, String title, Map<String, Double> baselines) throws IOException {
    List<Plots.Series> series = new ArrayList<>();
    double[] trainingSteps = new double[training.size()];
    for (int i = 0; i < trainingSteps.length; i++) {
      trainingSteps[i] = firstStep + i + 1;
    }
    // A run resumed at its last step took none: its curve is the validation loss alone.
    if (!training.isEmpty()) {
      series.add(new Plots.Series("training loss (each step's window)", trainingSteps, training()));
    }
    if (!validation.isEmpty()) {
      series.add(new Plots.Series("validation loss", validationSteps(), validation()));
    }
    double[] ends = {firstStep, firstStep + Math.max(1, training.size())};
    for (Map.Entry<String, Double> baseline : baselines.entrySet()) {
      double value = baseline.getValue();
      if (Double.isFinite(value)) {
        series.add(new Plots.Series(baseline.getKey(), ends, new double[] {value, value}));
      }
    }
    Plots.lines(png, title, "step", "cross-entropy (nats per character)", false, series);
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

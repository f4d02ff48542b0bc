package dev.rewind.train;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.AnomalyException;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.Layer;
import dev.rewind.optim.NonFiniteGradientException;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.StepReport;
import dev.rewind.train.checkpoint.RandomState;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs training steps so that the first NaN or ±Inf is reported where it started: the step, the
 * parameter whose gradient went non-finite first, and the op that produced it, found with {@link
 * Tape#recordDetectingAnomalies()}. What happens to the step is the optimizer's policy: a {@code
 * ClippedOptimizer} with {@code NonFinitePolicy.SKIP_STEP} skips it (counted in {@link
 * #skippedSteps}), one that throws makes {@link #step} throw a {@link TrainingAnomalyException}.
 *
 * <pre>
 * step(t, loss):
 *   gradients ← tape.gradient(loss(), parameters)      (REPLAY: a plain tape; EVERY_STEP: anomaly mode)
 *   if the loss or a gradient is not finite:
 *     op ← the first op anomaly mode stops at, replaying loss() on an anomaly-mode tape
 *   optimizer.step(gradients)                           the policy decides: take, skip, or throw
 * </pre>
 *
 * <p>With {@link Detection#REPLAY} (the default) steps run at full speed and only a step that went
 * wrong is run again in anomaly mode, so {@code loss} must compute the same thing twice: draw the
 * batch before the step, not inside it, and random numbers from the generator handed to {@link
 * #step(long, Random, Function)}, which hands the replay a copy in the state the step began with.
 * {@link Detection#EVERY_STEP} records every step in anomaly mode, which costs a stack walk per op
 * but needs no replay.
 */
public final class AnomalyGuard {
  /** When anomaly mode runs. */
  public enum Detection {
    /** Only to replay a step whose loss or gradients were not finite. */
    REPLAY,
    /** On every step. */
    EVERY_STEP
  }

  /** What one guarded step did. */
  public record Outcome(
      long step, double loss, StepReport report, Optional<AnomalyReport> anomaly) {
    /** Whether the optimizer skipped this step. */
    public boolean skipped() {
      return !report.taken();
    }
  }

  private final Optimizer optimizer;
  private final Detection detection;
  private final Map<Parameter, String> names = new IdentityHashMap<>();
  private final List<AnomalyReport> anomalies = new ArrayList<>();
  private long skippedSteps;
  private boolean recyclingTapes;

  /**
   * Guards steps of {@code optimizer}, naming parameters by their dotted paths in {@code model}.
   */
  public AnomalyGuard(Layer model, Optimizer optimizer) {
    this(model, optimizer, Detection.REPLAY);
  }

  public AnomalyGuard(Layer model, Optimizer optimizer, Detection detection) {
    this.optimizer = optimizer;
    this.detection = detection;
    model.namedParameters().forEach((name, parameter) -> names.put(parameter, name));
  }

  /**
   * Records the steps from now on with {@link Tape#recordRecycling()}, whose arrays the next step
   * reuses: {@code loss} must then read with {@code value()}, or detach, every value it computes
   * that is wanted once the step is over (a state to carry), before it returns. The {@code
   * Trainer}'s guard records this way. A replay in anomaly mode records on a plain tape.
   */
  @CanIgnoreReturnValue
  public AnomalyGuard recyclingTapes() {
    recyclingTapes = true;
    return this;
  }

  /**
   * Computes {@code loss} on a tape, differentiates it with respect to the optimizer's parameters
   * and steps the optimizer, reporting the first non-finite value if there is one.
   *
   * @param step the training step, for the report
   * @param loss the step's loss from the current parameters; called again on a replay
   * @throws TrainingAnomalyException if the gradients are not finite and the optimizer throws
   */
  public Outcome step(long step, Supplier<Var> loss) {
    return guarded(step, loss, loss);
  }

  /**
   * As {@link #step(long, Supplier)}, for a loss that draws from {@code random}, the run's
   * generator: the step computes {@code loss} with it, and a replay (to find the op at fault, or to
   * take the gradients after anomaly mode stopped at it) with a copy of it as it was before the
   * step, so that the replay draws the same numbers and {@code random} ends as if there had been
   * none. A generator that is not a plain {@code java.util.Random} cannot be copied; replays draw
   * from it.
   */
  public Outcome step(long step, Random random, Function<Random, Var> loss) {
    if (!RandomState.copyable(random)) {
      return step(step, () -> loss.apply(random));
    }
    Random before = RandomState.copy(random);
    return guarded(step, () -> loss.apply(random), () -> loss.apply(RandomState.copy(before)));
  }

  /** Guards a step that computes {@code loss} first, and {@code replay} every time after. */
  private Outcome guarded(long step, Supplier<Var> loss, Supplier<Var> replay) {
    List<Parameter> parameters = optimizer.parameters();
    String op = null;
    Evaluation evaluation = null;
    if (detection == Detection.EVERY_STEP) {
      try {
        evaluation = evaluate(loss, parameters, Tape::recordDetectingAnomalies);
      } catch (AnomalyException e) {
        op = e.getMessage();
      }
    }
    if (evaluation == null) {
      // NOTE: anomaly mode stopped this step part-way, so a generator it drew from may be left
      // part-way through the step's draws too.
      evaluation = evaluate(op == null ? loss : replay, parameters, this::openTape);
    }
    ImmutableList<String> nonFinite = nonFinite(evaluation.gradients(), parameters);
    boolean anomalous = !nonFinite.isEmpty() || !Double.isFinite(evaluation.loss());
    if (anomalous && op == null) {
      op = locate(replay, parameters);
    }
    StepReport report;
    try {
      report = optimizer.step(evaluation.gradients().withLoss(evaluation.loss()));
    } catch (NonFiniteGradientException e) {
      AnomalyReport anomaly = report(step, evaluation.loss(), nonFinite, op, false);
      anomalies.add(anomaly);
      throw new TrainingAnomalyException(anomaly, e);
    }
    if (!report.taken()) {
      skippedSteps++;
    }
    Optional<AnomalyReport> anomaly = Optional.empty();
    if (anomalous) {
      anomaly = Optional.of(report(step, evaluation.loss(), nonFinite, op, !report.taken()));
      anomalies.add(anomaly.get());
    }
    return new Outcome(step, evaluation.loss(), report, anomaly);
  }

  /** The number of steps the optimizer skipped. */
  public long skippedSteps() {
    return skippedSteps;
  }

  /** Every anomaly reported so far, oldest first. */
  public ImmutableList<AnomalyReport> anomalies() {
    return ImmutableList.copyOf(anomalies);
  }

  private record Evaluation(double loss, ParameterGradients gradients) {}

  private Tape openTape() {
    return recyclingTapes ? Tape.recordRecycling() : Tape.record();
  }

  private static Evaluation evaluate(
      Supplier<Var> loss, List<Parameter> parameters, Supplier<Tape> openTape) {
    try (Tape tape = openTape.get()) {
      Var value = loss.get();
      ParameterGradients gradients = ParameterGradients.from(tape.gradient(value, parameters));
      return new Evaluation(value.value().item(), gradients);
    }
  }

  /** The anomaly-mode message of the first op that produces NaN or ±Inf when the step is re-run. */
  private static String locate(Supplier<Var> loss, List<Parameter> parameters) {
    try {
      Evaluation unused = evaluate(loss, parameters, Tape::recordDetectingAnomalies);
      return "anomaly mode found no op producing NaN or Inf when the step was replayed"
          + " (does the loss draw random numbers?)";
    } catch (AnomalyException e) {
      return e.getMessage();
    }
  }

  private ImmutableList<String> nonFinite(
      ParameterGradients gradients, List<Parameter> parameters) {
    ImmutableList.Builder<String> result = ImmutableList.builder();
    for (Parameter parameter : parameters) {
      if (!gradients.tensor(parameter).isFinite()) {
        result.add(names.getOrDefault(parameter, parameter.name()));
      }
    }
    return result.build();
  }

  private static AnomalyReport report(
      long step, double loss, ImmutableList<String> nonFinite, String op, boolean skipped) {
    String first = nonFinite.isEmpty() ? "" : nonFinite.get(0);
    return new AnomalyReport(step, loss, first, nonFinite, op, skipped);
  }
}

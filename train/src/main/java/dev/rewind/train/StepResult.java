package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import java.util.OptionalDouble;

/**
 * What a {@link TrainingStep} returns: the scalar loss, the state the sequences end in, and, for
 * accuracy, the number of right predictions among those counted (both 0 when not measured).
 *
 * @param loss a scalar on the step's tape
 * @param finalState the state after the batch's last step, carried into the next window or batch
 * @param correct the right predictions, at most {@code counted}
 * @param counted the predictions counted; 0 when accuracy is not measured
 */
public record StepResult<S>(Var loss, S finalState, long correct, long counted) {

  public StepResult {
    checkArgument(loss != null, "step result: the loss is null");
    checkArgument(finalState != null, "step result: the final state is null");
    checkArgument(
        loss.shape().size() == 1,
        "step result: the loss must be a scalar, but has shape %s",
        loss.shape());
    checkArgument(
        0 <= correct && correct <= counted,
        "step result: %s correct of %s counted predictions",
        correct,
        counted);
  }

  /** A loss and a final state, without accuracy. */
  public static <S> StepResult<S> of(Var loss, S finalState) {
    return new StepResult<>(loss, finalState, 0, 0);
  }

  /** This result with {@code correct} of {@code counted} predictions right. */
  public StepResult<S> withAccuracy(long correct, long counted) {
    return new StepResult<>(loss, finalState, correct, counted);
  }

  /** The share of right predictions, if any were counted. */
  public OptionalDouble accuracy() {
    return counted == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) correct / counted);
  }
}

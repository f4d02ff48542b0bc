package dev.rewind.layers.seq;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Truncated backpropagation through time (note 004): the sequence is cut into windows of {@code k}
 * steps; each window is unrolled on its own tape from the state the previous window ended in,
 * detached, so that gradients flow back at most {@code k} steps.
 *
 * <pre>
 *   for each window [t0, t1):  s(t0−1) ← detach(s(t0−1)),  unroll t0 … t1−1,
 *                              g ← g + ∂J_window/∂θ
 * </pre>
 *
 * The gradients of the windows' losses are summed, so with {@code k ≥ T} (one window) the result is
 * exactly full BPTT. For the sum over windows to be the sequence's loss, give each window a loss
 * that is a sum over its steps (or a mean over a fixed count), such as {@code
 * Losses.softmaxCrossEntropy(logits, targets, Reduction.SUM, window.mask())}.
 *
 * <p>The loss function runs inside the window's tape: apply the readout there. Each window's tape
 * is closed before the next one opens, so a {@link WindowListener} may update the parameters
 * between windows, as training with truncated BPTT usually does.
 *
 * @param <S> the cell's state
 */
public final class TruncatedBptt<S extends RecurrentState<S>> {
  private final Recurrent<S> recurrent;
  private final int window;

  /** Windows of {@code window} steps; the last window may be shorter. */
  public TruncatedBptt(RecurrentCell<S> cell, int window) {
    checkArgument(
        window >= 1, "TruncatedBptt(%s): window %s must be at least 1 step", cell.name(), window);
    this.recurrent = new Recurrent<>(cell);
    this.window = window;
  }

  public int window() {
    return window;
  }

  /**
   * Runs {@code inputs} {@code [batch, time, features]} window by window from {@code initial}
   * (zeros when null), with {@code mask} {@code [batch, time]} or null, and sums the gradients of
   * each window's loss with respect to {@code parameters}.
   */
  public Result<S> run(
      Tensor inputs, S initial, Tensor mask, List<? extends Var> parameters, WindowLoss<S> loss) {
    checkArgument(
        inputs.rank() == 3,
        "TruncatedBptt(%s): inputs must be [batch, time, features], but have shape %s",
        recurrent.cell().name(),
        inputs.shape());
    return run(
        inputs.shape().dim(1),
        (start, end) -> Var.constant(Layout.slice(inputs, 1, start, end)),
        initial,
        mask,
        parameters,
        loss,
        (done, windowLoss, gradients) -> {});
  }

  /**
   * The general form: {@code inputs} computes each window's inputs inside its tape (so that an
   * embedding lookup, say, is differentiated too), and {@code listener} hears of each window when
   * its gradients are known.
   */
  public Result<S> run(
      int steps,
      WindowInputs inputs,
      S initial,
      Tensor mask,
      List<? extends Var> parameters,
      WindowLoss<S> loss,
      WindowListener listener) {
    String name = "TruncatedBptt(" + recurrent.cell().name() + ")";
    checkArgument(steps >= 1, "%s: the sequence is empty: %s steps", name, steps);
    checkArgument(
        mask == null || (mask.rank() == 2 && mask.shape().dim(1) == steps),
        "%s: mask %s does not fit a sequence of %s steps: expected [batch, %s]",
        name,
        mask == null ? null : mask.shape(),
        steps,
        steps);
    List<Tensor> sums = new ArrayList<>();
    for (Var parameter : parameters) {
      sums.add(Tensor.zeros(parameter.shape()));
    }
    List<Double> losses = new ArrayList<>();
    S state = initial;
    for (int start = 0; start < steps; start += window) {
      int end = Math.min(steps, start + window);
      Window<S> done;
      List<Tensor> windowGradients = new ArrayList<>();
      try (Tape tape = Tape.record()) {
        Var windowInputs = inputs.inputs(start, end);
        Shape shape = windowInputs.shape();
        checkArgument(
            shape.rank() == 3 && shape.dim(1) == end - start,
            "%s: the inputs of steps [%s, %s) have shape %s; expected [batch, %s, features]",
            name,
            start,
            end,
            shape,
            end - start);
        Tensor windowMask = mask == null ? null : Layout.slice(mask, 1, start, end);
        Unrolled<S> unrolled = recurrent.run(windowInputs, state, windowMask);
        done = new Window<>(start, end, unrolled, windowMask);
        Var windowLoss = loss.loss(done);
        Gradients gradients = tape.gradient(windowLoss, parameters);
        for (int i = 0; i < parameters.size(); i++) {
          Tensor gradient = gradients.tensor(parameters.get(i));
          windowGradients.add(gradient);
          sums.set(i, Pointwise.add(sums.get(i), gradient));
        }
        losses.add(windowLoss.value().item());
        // Cut here: the next window's gradients stop at this state.
        state = unrolled.finalState().detach();
      }
      listener.windowDone(
          done, losses.get(losses.size() - 1), ImmutableList.copyOf(windowGradients));
    }
    return new Result<>(
        ImmutableList.copyOf(parameters),
        ImmutableList.copyOf(sums),
        ImmutableList.copyOf(losses),
        state);
  }

  /** Computes the inputs {@code [batch, end − start, features]} of steps {@code [start, end)}. */
  @FunctionalInterface
  public interface WindowInputs {
    Var inputs(int start, int end);
  }

  /** The scalar loss of one window, computed from its unrolled steps inside the window's tape. */
  @FunctionalInterface
  public interface WindowLoss<S> {
    Var loss(Window<S> window);
  }

  /**
   * Hears of each window once its gradients are known and its tape is closed: the place for an
   * optimizer step between windows.
   */
  @FunctionalInterface
  public interface WindowListener {
    void windowDone(Window<?> window, double loss, List<Tensor> gradients);
  }

  /**
   * One window: steps {@code [start, end)} of the sequence, unrolled from the previous window's
   * detached final state, and its slice of the mask (null without a mask).
   */
  public record Window<S>(int start, int end, Unrolled<S> unrolled, Tensor mask) {

    /** This window's steps of per-step targets {@code [batch][time]}. */
    public int[][] slice(int[][] sequences) {
      int[][] window = new int[sequences.length][];
      for (int row = 0; row < sequences.length; row++) {
        window[row] = Arrays.copyOfRange(sequences[row], start, end);
      }
      return window;
    }

    /** This window's steps of a {@code [batch, time, …]} tensor, such as regression targets. */
    public Tensor slice(Tensor sequences) {
      return Layout.slice(sequences, 1, start, end);
    }
  }

  /**
   * What a run returns: for each parameter, the sum over windows of its gradient; each window's
   * loss; the state after the last step, detached.
   */
  public record Result<S>(
      ImmutableList<Var> parameters,
      ImmutableList<Tensor> gradients,
      ImmutableList<Double> windowLosses,
      S finalState) {

    /** The summed gradient of {@code parameter}, found by identity. */
    public Tensor gradient(Var parameter) {
      for (int i = 0; i < parameters.size(); i++) {
        if (parameters.get(i) == parameter) {
          return gradients.get(i);
        }
      }
      throw new IllegalArgumentException("TruncatedBptt: no gradient was asked for " + parameter);
    }

    /** The sum of the windows' losses. */
    public double loss() {
      return windowLosses.stream().mapToDouble(Double::doubleValue).sum();
    }
  }
}

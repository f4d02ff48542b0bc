package dev.rewind.layers.loss;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.reduce.PickLogSoftmax;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.function.IntFunction;

/**
 * The losses of the notes, each a composition of autodiff ops (no backward of its own), with a
 * {@link Reduction} and an optional mask of 0 and 1 (masked elements count for nothing; {@link
 * Reduction#MEAN} divides by the number of unmasked ones).
 *
 * <pre>
 *   softmax cross-entropy:  J = −log softmax(u)[d] = −logSoftmax(u)[d],  ∂J/∂u = softmax(u) − onehot(d)
 *   mean squared error:     J = (p − t)²                                 ∂J/∂p = 2 (p − t)
 *   binary cross-entropy:   J = max(x, 0) − x z + log(1 + e^{−|x|}),     ∂J/∂x = sigmoid(x) − z
 * </pre>
 *
 * <p>The first line is note 000's "error gradient at the output" for softmax; its linear-output
 * gradient {@code −(d − u)} is that of half the squared error, so it is half the gradient of {@link
 * #meanSquaredError} with {@link Reduction#SUM}.
 */
public final class Losses {
  private static final String CROSS_ENTROPY = "softmaxCrossEntropy";
  private static final String SQUARED_ERROR = "meanSquaredError";
  private static final String BINARY_CROSS_ENTROPY = "binaryCrossEntropyWithLogits";

  private Losses() {}

  /** Softmax cross-entropy of {@code [N, C]} logits against class indices, averaged. */
  public static Var softmaxCrossEntropy(Var logits, int[] targets) {
    return softmaxCrossEntropy(logits, targets, Reduction.MEAN, null);
  }

  public static Var softmaxCrossEntropy(Var logits, int[] targets, Reduction reduction) {
    return softmaxCrossEntropy(logits, targets, reduction, null);
  }

  /**
   * Softmax cross-entropy of {@code [N, C]} logits against class indices {@code targets[n]}, fused:
   * the log-probabilities come from {@code logSoftmax}, which subtracts each row's maximum, so
   * logits of ±1000 give finite losses and gradients. {@code mask} is {@code [N]} or null; a masked
   * row's target is not looked at (it may be a padding index such as -1).
   */
  public static Var softmaxCrossEntropy(
      Var logits, int[] targets, Reduction reduction, Tensor mask) {
    Shape shape = logits.shape();
    checkArgument(
        shape.rank() == 2,
        "%s: logits must be [N, classes] for an int[] of targets, but have shape %s",
        CROSS_ENTROPY,
        shape);
    checkArgument(
        targets.length == shape.dim(0),
        "%s: logits %s have %s rows but there are %s targets",
        CROSS_ENTROPY,
        shape,
        shape.dim(0),
        targets.length);
    Tensor fullMask = Masking.fit(CROSS_ENTROPY, "targets", Shape.of(targets.length), mask, false);
    Var elements = targetLogProbabilities(logits, targets, fullMask, n -> "row " + n, shape).neg();
    return Masking.reduce(elements, fullMask, reduction);
  }

  /** Softmax cross-entropy of {@code [B, T, C]} logits against {@code targets[b][t]}, averaged. */
  public static Var softmaxCrossEntropy(Var logits, int[][] targets) {
    return softmaxCrossEntropy(logits, targets, Reduction.MEAN, null);
  }

  public static Var softmaxCrossEntropy(Var logits, int[][] targets, Reduction reduction) {
    return softmaxCrossEntropy(logits, targets, reduction, null);
  }

  /**
   * Softmax cross-entropy of a batch of sequences: logits {@code [B, T, C]}, targets {@code
   * targets[b][t]}, mask {@code [B, T]} or null. The per-element losses ({@link Reduction#NONE})
   * are {@code [B, T]}.
   */
  public static Var softmaxCrossEntropy(
      Var logits, int[][] targets, Reduction reduction, Tensor mask) {
    Shape shape = logits.shape();
    checkArgument(
        shape.rank() == 3,
        "%s: logits must be [batch, time, classes] for an int[][] of targets, but have shape %s",
        CROSS_ENTROPY,
        shape);
    int batch = shape.dim(0);
    int steps = shape.dim(1);
    checkArgument(
        targets.length == batch,
        "%s: logits %s have a batch of %s but there are %s target sequences",
        CROSS_ENTROPY,
        shape,
        batch,
        targets.length);
    int[] flat = new int[batch * steps];
    for (int b = 0; b < batch; b++) {
      checkArgument(
          targets[b].length == steps,
          "%s: logits %s have %s steps but target sequence %s has %s",
          CROSS_ENTROPY,
          shape,
          steps,
          b,
          targets[b].length);
      System.arraycopy(targets[b], 0, flat, b * steps, steps);
    }
    Tensor stepMask = Masking.fit(CROSS_ENTROPY, "targets", Shape.of(batch, steps), mask, false);
    Tensor flatMask = stepMask == null ? null : stepMask.reshape(Shape.of(batch * steps));
    Var rows = logits.reshape(batch * steps, shape.dim(2));
    IntFunction<String> position = n -> "step [" + n / steps + ", " + n % steps + "]";
    Var elements = targetLogProbabilities(rows, flat, flatMask, position, shape).neg();
    Var result = Masking.reduce(elements, flatMask, reduction);
    return reduction == Reduction.NONE ? result.reshape(batch, steps) : result;
  }

  /**
   * {@code logSoftmax(rows)[n, targets[n]]} for each row n, as {@code [N]}; a masked row's target
   * is neither checked nor used (class 0 stands in for it).
   */
  private static Var targetLogProbabilities(
      Var rows, int[] targets, Tensor mask, IntFunction<String> position, Shape shown) {
    int classes = rows.shape().dim(1);
    int[] picked = new int[targets.length];
    for (int n = 0; n < targets.length; n++) {
      boolean real = mask == null || mask.getFlat(n) != 0;
      if (real && (targets[n] < 0 || targets[n] >= classes)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: target %s of %s is out of range for %s classes (logits %s)",
                CROSS_ENTROPY, targets[n], position.apply(n), classes, shown));
      }
      picked[n] = real ? targets[n] : 0;
    }
    return new PickLogSoftmax(picked).apply(rows);
  }

  /** The mean over every element of {@code (predictions − targets)²}. */
  public static Var meanSquaredError(Var predictions, Var targets) {
    return meanSquaredError(predictions, targets, Reduction.MEAN, null);
  }

  /**
   * {@code (predictions − targets)²} element by element, reduced. Both have the same shape; {@code
   * mask} has that shape too, or (for sequences) the shape without the last axis, such as {@code
   * [B, T]} for {@code [B, T, F]} values, in which case {@link Reduction#MEAN} divides by the
   * number of unmasked steps times F.
   */
  public static Var meanSquaredError(
      Var predictions, Var targets, Reduction reduction, Tensor mask) {
    checkArgument(
        predictions.shape().equals(targets.shape()),
        "%s: predictions %s and targets %s have different shapes",
        SQUARED_ERROR,
        predictions.shape(),
        targets.shape());
    Tensor fullMask = Masking.fit(SQUARED_ERROR, "predictions", predictions.shape(), mask, true);
    return Masking.reduce(predictions.sub(targets).square(), fullMask, reduction);
  }

  /** Binary cross-entropy of logits against targets in [0, 1], averaged. */
  public static Var binaryCrossEntropyWithLogits(Var logits, Tensor targets) {
    return binaryCrossEntropyWithLogits(logits, targets, Reduction.MEAN, null);
  }

  /**
   * Binary cross-entropy of {@code sigmoid(logits)} against {@code targets} (probabilities in [0,
   * 1], of the logits' shape), in the form that never overflows:
   *
   * <pre>
   *   J(x, z) = max(x, 0) − x z + log(1 + e^{−|x|})  =  −z log σ(x) − (1 − z) log(1 − σ(x))
   * </pre>
   *
   * {@code mask} is as for {@link #meanSquaredError}.
   */
  public static Var binaryCrossEntropyWithLogits(
      Var logits, Tensor targets, Reduction reduction, Tensor mask) {
    checkArgument(
        logits.shape().equals(targets.shape()),
        "%s: logits %s and targets %s have different shapes",
        BINARY_CROSS_ENTROPY,
        logits.shape(),
        targets.shape());
    for (int i = 0; i < targets.size(); i++) {
      double z = targets.getFlat(i);
      checkArgument(
          z >= 0 && z <= 1,
          "%s: target %s at flat position %s is outside [0, 1]",
          BINARY_CROSS_ENTROPY,
          z,
          i);
    }
    Tensor fullMask = Masking.fit(BINARY_CROSS_ENTROPY, "logits", logits.shape(), mask, true);
    // NOTE: max(x, 0) and −|x| are both written with one condition, x >= 0, rather than with relu
    // and abs: relu'(0) = 0 and abs'(0) = 0 would give −z at x = 0 instead of σ(0) − z = 1/2 − z,
    // and a zero-initialised readout produces exactly x = 0.
    Tensor nonNegative = Pointwise.map(logits.value(), x -> x >= 0 ? 1.0 : 0.0);
    Var positivePart = Var.where(nonNegative, logits, Var.scalar(0, logits.dtype()));
    Var minusAbs = Var.where(nonNegative, logits.neg(), logits);
    Var elements =
        positivePart
            .sub(logits.mul(Var.constant(targets.to(logits.dtype()))))
            .add(minusAbs.exp().add(1).log());
    return Masking.reduce(elements, fullMask, reduction);
  }
}

package dev.rewind.layers.reference;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.elman.ElmanCell;
import java.util.ArrayList;
import java.util.List;

/**
 * Note 000's hand-derived backpropagation through time for the Elman net with tanh hidden units,
 * computed directly with tensor kernels: no tape. It is the reference the tape's gradients are
 * compared with, and a worked form of the equations for readers checking their own derivation.
 *
 * <p>Forward, in batch form (one row per sequence, {@code h(0) = 0}):
 *
 * <pre>
 *   H(t) = tanh(X(t) U + H(t−1) W + b)
 *   u(t) = H(t) V + c
 *   y(t) = softmax(u(t))                 classification:  J(t) = −Σ_rows log y(t)[d(t)]
 *   y(t) = u(t)                          regression:      J(t) = ½ Σ_rows ‖u(t) − d(t)‖²
 *   J    = Σ_t J(t)
 * </pre>
 *
 * <p>Backward, the notes' equations with each row a sequence (so the notes' {@code V ∇u} is {@code
 * ∇u Vᵀ} here):
 *
 * <pre>
 *   ∇u(t) J = softmax(u(t)) − 1(k = d(t))          or  u(t) − d(t)
 *   (A)  ∇h(T) J = ∇u(T) J Vᵀ
 *   (E)  ∇h(t) J = (∇h(t+1) J ⊙ (1 − h(t+1)²)) Wᵀ + ∇u(t) J Vᵀ,    t = T−1, …, 1
 *        ∇z(t) J = ∇h(t) J ⊙ (1 − h(t)²)                          (C): tanh′ = 1 − h²
 *   ∇c J = Σ_t Σ_rows ∇u(t) J          ∇V J = Σ_t H(t)ᵀ ∇u(t) J
 *   ∇b J = Σ_t Σ_rows ∇z(t) J          ∇W J = Σ_t H(t−1)ᵀ ∇z(t) J
 *                                      ∇U J = Σ_t X(t)ᵀ ∇z(t) J
 * </pre>
 *
 * <pre>{@code
 * ElmanBptt.Result byHand = ElmanBptt.of(cell).softmaxCrossEntropy(inputs, targets);
 * GradCheck.ofParameters(cell.namedParameters(), () -> loss(cell))
 *     .checkHandDerived(byHand.parameterGradients());
 * }</pre>
 */
public final class ElmanBptt {
  private final Tensor u;
  private final Tensor w;
  private final Tensor b;
  private final Tensor v;
  private final Tensor c;

  /**
   * The net with {@code U [in, hidden]}, {@code W [hidden, hidden]}, {@code b [hidden]}, {@code V
   * [hidden, out]}, {@code c [out]}.
   */
  public ElmanBptt(Tensor u, Tensor w, Tensor b, Tensor v, Tensor c) {
    checkArgument(u.rank() == 2, "ElmanBptt: U must be a matrix, but has shape %s", u.shape());
    checkArgument(v.rank() == 2, "ElmanBptt: V must be a matrix, but has shape %s", v.shape());
    this.u = u;
    int hidden = u.shape().dim(1);
    checkShape("W", w, Shape.of(hidden, hidden));
    checkShape("b", b, Shape.of(hidden));
    checkShape("V", v, Shape.of(hidden, v.shape().dim(1)));
    checkShape("c", c, Shape.of(v.shape().dim(1)));
    this.w = w;
    this.b = b;
    this.v = v;
    this.c = c;
  }

  /**
   * The net with the current values of {@code cell}'s parameters. The cell must have tanh hidden
   * units and an output layer; its output activation is not read, since the loss chosen fixes it.
   */
  public static ElmanBptt of(ElmanCell cell) {
    checkArgument(
        cell.hiddenActivation() == Activation.TANH,
        "ElmanBptt: the notes derive BPTT for tanh hidden units, but %s has %s",
        cell,
        cell.hiddenActivation());
    checkArgument(cell.hasOutputLayer(), "ElmanBptt: %s has no output layer (V, c)", cell);
    return new ElmanBptt(
        cell.u().value(), cell.w().value(), cell.b().value(), cell.v().value(), cell.c().value());
  }

  private void checkShape(String name, Tensor tensor, Shape expected) {
    checkArgument(
        tensor.shape().equals(expected),
        "ElmanBptt: %s has shape %s but U %s needs %s",
        name,
        tensor.shape(),
        u.shape(),
        expected);
  }

  /**
   * Softmax outputs and cross-entropy: {@code inputs} is {@code [batch, time, in]} and {@code
   * targets[p][t]} the class index d(t) of sequence p.
   */
  public Result softmaxCrossEntropy(Tensor inputs, int[][] targets) {
    checkInputs(inputs);
    int batch = inputs.shape().dim(0);
    int steps = inputs.shape().dim(1);
    int classes = v.shape().dim(1);
    checkArgument(
        targets.length == batch,
        "ElmanBptt: %s target sequences for a batch of %s",
        targets.length,
        batch);
    List<Tensor> hidden = forward(inputs);
    List<Tensor> outputGradients = new ArrayList<>();
    double loss = 0;
    for (int t = 1; t <= steps; t++) {
      Tensor logits = Pointwise.add(MatMul.matmul(hidden.get(t), v), c);
      Tensor shifted = Pointwise.sub(logits, Reductions.maxKeepDims(logits, 1));
      Tensor logNormalizer = Pointwise.log(Reductions.sum(Pointwise.exp(shifted), 1, true));
      Tensor logSoftmax = Pointwise.sub(shifted, logNormalizer);
      int[] classesAtT = new int[batch];
      for (int p = 0; p < batch; p++) {
        checkArgument(
            targets[p].length == steps,
            "ElmanBptt: target sequence %s has %s steps but the inputs %s have %s",
            p,
            targets[p].length,
            inputs.shape(),
            steps);
        classesAtT[p] = targets[p][t - 1];
        checkArgument(
            0 <= classesAtT[p] && classesAtT[p] < classes,
            "ElmanBptt: target %s of sequence %s at step %s is not a class of V's %s",
            classesAtT[p],
            p,
            t,
            classes);
        loss -= logSoftmax.get(p, classesAtT[p]);
      }
      Tensor oneHot = Layout.oneHot(classesAtT, classes);
      outputGradients.add(Pointwise.sub(Pointwise.exp(logSoftmax), oneHot));
    }
    return throughTime(inputs, hidden, outputGradients, loss);
  }

  /**
   * Linear outputs and squared error: {@code inputs} is {@code [batch, time, in]} and {@code
   * targets} the desired outputs d(t), {@code [batch, time, out]}.
   */
  public Result squaredError(Tensor inputs, Tensor targets) {
    checkInputs(inputs);
    Shape expected = Shape.of(inputs.shape().dim(0), inputs.shape().dim(1), v.shape().dim(1));
    checkArgument(
        targets.shape().equals(expected),
        "ElmanBptt: targets have shape %s but inputs %s and V %s need %s",
        targets.shape(),
        inputs.shape(),
        v.shape(),
        expected);
    List<Tensor> hidden = forward(inputs);
    List<Tensor> outputGradients = new ArrayList<>();
    double loss = 0;
    for (int t = 1; t < hidden.size(); t++) {
      Tensor outputs = Pointwise.add(MatMul.matmul(hidden.get(t), v), c);
      Tensor residual = Pointwise.sub(outputs, step(targets, t));
      loss += 0.5 * Reductions.dot(residual, residual);
      outputGradients.add(residual);
    }
    return throughTime(inputs, hidden, outputGradients, loss);
  }

  private void checkInputs(Tensor inputs) {
    checkArgument(
        inputs.rank() == 3 && inputs.shape().dim(2) == u.shape().dim(0),
        "ElmanBptt: inputs have shape %s but U %s needs [batch, time, %s]",
        inputs.shape(),
        u.shape(),
        u.shape().dim(0));
    checkArgument(
        inputs.shape().dim(1) > 0, "ElmanBptt: the sequence is empty: %s", inputs.shape());
  }

  /** {@code H(0), H(1), …, H(T)}. */
  private List<Tensor> forward(Tensor inputs) {
    List<Tensor> hidden = new ArrayList<>();
    hidden.add(Tensor.zeros(inputs.shape().dim(0), u.shape().dim(1)));
    for (int t = 1; t <= inputs.shape().dim(1); t++) {
      Tensor z =
          Pointwise.add(
              Pointwise.add(MatMul.matmul(step(inputs, t), u), MatMul.matmul(hidden.get(t - 1), w)),
              b);
      hidden.add(Pointwise.tanh(z));
    }
    return hidden;
  }

  private Result throughTime(
      Tensor inputs, List<Tensor> hidden, List<Tensor> outputGradients, double loss) {
    int steps = outputGradients.size();
    Tensor vTransposed = Layout.transpose(v, 0, 1);
    Tensor wTransposed = Layout.transpose(w, 0, 1);
    Tensor[] hiddenGradients = new Tensor[steps + 1];
    Tensor[] synapticGradients = new Tensor[steps + 1];
    for (int t = steps; t >= 1; t--) {
      Tensor fromOutput = MatMul.matmul(outputGradients.get(t - 1), vTransposed);
      hiddenGradients[t] =
          t == steps
              ? fromOutput // (A)
              : Pointwise.add(
                  MatMul.matmul(synapticGradients[t + 1], wTransposed), fromOutput); // (E)
      synapticGradients[t] = Pointwise.mul(hiddenGradients[t], tanhDerivative(hidden.get(t)));
    }
    Tensor gradientU = Tensor.zeros(u.shape());
    Tensor gradientW = Tensor.zeros(w.shape());
    Tensor gradientB = Tensor.zeros(b.shape());
    Tensor gradientV = Tensor.zeros(v.shape());
    Tensor gradientC = Tensor.zeros(c.shape());
    for (int t = 1; t <= steps; t++) {
      Tensor outputGradient = outputGradients.get(t - 1);
      Tensor synaptic = synapticGradients[t];
      gradientC = Pointwise.add(gradientC, Reductions.sum(outputGradient, 0, false));
      gradientB = Pointwise.add(gradientB, Reductions.sum(synaptic, 0, false));
      gradientV = Pointwise.add(gradientV, transposedTimes(hidden.get(t), outputGradient));
      gradientW = Pointwise.add(gradientW, transposedTimes(hidden.get(t - 1), synaptic));
      gradientU = Pointwise.add(gradientU, transposedTimes(step(inputs, t), synaptic));
    }
    List<Tensor> perStep = new ArrayList<>();
    for (int t = 1; t <= steps; t++) {
      perStep.add(hiddenGradients[t]);
    }
    return new Result(
        loss,
        gradientU,
        gradientW,
        gradientB,
        gradientV,
        gradientC,
        ImmutableList.copyOf(perStep),
        ImmutableList.copyOf(outputGradients));
  }

  /** {@code 1 − h²}, the diagonal of (C). */
  private static Tensor tanhDerivative(Tensor h) {
    return Pointwise.sub(Tensor.ones(h.shape()), Pointwise.mul(h, h));
  }

  private static Tensor transposedTimes(Tensor a, Tensor b) {
    return MatMul.matmul(Layout.transpose(a, 0, 1), b);
  }

  /** Step t (counted from 1) of a {@code [batch, time, features]} tensor, as a matrix. */
  private static Tensor step(Tensor sequences, int t) {
    Shape shape = sequences.shape();
    return Layout.slice(sequences, 1, t - 1, t).reshape(Shape.of(shape.dim(0), shape.dim(2)));
  }

  /**
   * What the hand-derived BPTT gives.
   *
   * @param loss J, summed over time steps and sequences
   * @param gradientU ∇U J
   * @param gradientW ∇W J
   * @param gradientB ∇b J
   * @param gradientV ∇V J
   * @param gradientC ∇c J
   * @param hiddenGradients ∇h(t) J for t = 1, …, T, each {@code [batch, hidden]}: equations (A) and
   *     (E)
   * @param outputGradients ∇u(t) J for t = 1, …, T, each {@code [batch, out]}
   */
  public record Result(
      double loss,
      Tensor gradientU,
      Tensor gradientW,
      Tensor gradientB,
      Tensor gradientV,
      Tensor gradientC,
      ImmutableList<Tensor> hiddenGradients,
      ImmutableList<Tensor> outputGradients) {

    /** ∇U, ∇W, ∇b, ∇V, ∇c under the names and in the order of an {@link ElmanCell}'s parameters. */
    public ImmutableMap<String, Tensor> parameterGradients() {
      return ImmutableMap.of(
          "U", gradientU, "W", gradientW, "b", gradientB, "V", gradientV, "c", gradientC);
    }
  }
}

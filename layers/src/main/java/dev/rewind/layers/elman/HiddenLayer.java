package dev.rewind.layers.elman;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Layer;
import dev.rewind.layers.init.Initializers;
import java.util.List;
import java.util.Random;

/**
 * One hidden layer l of note 000's deep networks: it reads the layer below at this step and a value
 * fed back from the previous step.
 *
 * <pre>
 *   h^l(t) = φ(U^lᵀ h^{l−1}(t) + W^lᵀ feedback(t−1) + b^l)
 *   H^l(t) = φ(H^{l−1}(t) U^l + Feedback(t−1) W^l + b^l)      batch form
 *
 *   U^l [below, size]   W^l [feedback, size]   b^l [size]
 * </pre>
 *
 * <p>In a {@link DeepElmanCell} the feedback is the layer's own previous activation; in a {@link
 * DeepJordanCell} it is the previous activation of the layer above. Parameters {@code U}, {@code
 * W}, {@code b}.
 */
public final class HiddenLayer extends Layer {
  private final Parameter u;
  private final Parameter w;
  private final Parameter b;
  private final Activation activation;
  private final ImmutableList<Parameter> ownWeights;

  public HiddenLayer(Tensor u, Tensor w, Tensor b, Activation activation) {
    Checks.checkMatrix("HiddenLayer", "U", u);
    Checks.checkMatrix("HiddenLayer", "W", w);
    int size = u.shape().dim(1);
    Checks.checkShape("HiddenLayer", "W", w, Shape.of(w.shape().dim(0), size), "U " + u.shape());
    Checks.checkShape("HiddenLayer", "b", b, Shape.of(size), "U " + u.shape());
    this.u = parameter("U", u);
    this.w = parameter("W", w);
    this.b = parameter("b", b);
    this.activation = checkNotNull(activation, "HiddenLayer: the activation is null");
    this.ownWeights = parameters();
  }

  /** A layer with every weight and bias uniform in {@code ±1/√size}, drawn U, W, b. */
  public static HiddenLayer random(
      int inputSize, int feedbackSize, int size, Activation activation, Random random) {
    return new HiddenLayer(
        Initializers.uniformRecurrent(Shape.of(inputSize, size), size, random),
        Initializers.uniformRecurrent(Shape.of(feedbackSize, size), size, random),
        Initializers.uniformRecurrent(Shape.of(size), size, random),
        activation);
  }

  /** {@code φ(input U + feedback W + b)}; both arguments are {@code [batch, features]}. */
  public Var apply(Var input, Var feedback) {
    return apply(input, feedback, ownWeights);
  }

  /** The same with {@code weights} (U, W, b) in place of the parameters. */
  Var apply(Var input, Var feedback, List<? extends Var> weights) {
    Checks.checkInput("HiddenLayer", input, "U", inputSize());
    checkArgument(
        feedback.shape().equals(Shape.of(input.shape().dim(0), feedbackSize())),
        "HiddenLayer: feedback has shape %s but W %s and a batch of %s need [%s, %s]",
        feedback.shape(),
        w.shape(),
        input.shape().dim(0),
        input.shape().dim(0),
        feedbackSize());
    return activation.apply(
        input.matmul(weights.get(0)).add(feedback.matmul(weights.get(1))).add(weights.get(2)));
  }

  public int inputSize() {
    return u.shape().dim(0);
  }

  public int feedbackSize() {
    return w.shape().dim(0);
  }

  public int size() {
    return u.shape().dim(1);
  }

  public Parameter u() {
    return u;
  }

  public Parameter w() {
    return w;
  }

  public Parameter b() {
    return b;
  }

  public Activation activation() {
    return activation;
  }
}

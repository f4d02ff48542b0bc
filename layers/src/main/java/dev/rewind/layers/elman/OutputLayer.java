package dev.rewind.layers.elman;

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
 * The output layer L of note 000's deep networks, which has no recurrence of its own:
 *
 * <pre>
 *   y(t) = σ(U^Lᵀ h^{L−1}(t) + b^L)
 *   Y(t) = σ(H^{L−1}(t) U^L + b^L)      batch form
 *
 *   U^L [below, out]   b^L [out]
 * </pre>
 *
 * <p>Parameters {@code U}, {@code b}, named as the notes name them.
 */
public final class OutputLayer extends Layer {
  private final Parameter u;
  private final Parameter b;
  private final Activation activation;
  private final ImmutableList<Parameter> ownWeights;

  public OutputLayer(Tensor u, Tensor b, Activation activation) {
    Checks.checkMatrix("OutputLayer", "U", u);
    Checks.checkShape("OutputLayer", "b", b, Shape.of(u.shape().dim(1)), "U " + u.shape());
    this.u = parameter("U", u);
    this.b = parameter("b", b);
    this.activation = checkNotNull(activation, "OutputLayer: the activation is null");
    this.ownWeights = parameters();
  }

  /** A layer with its weights and bias uniform in {@code ±1/√inputSize}, as PyTorch's Linear. */
  public static OutputLayer random(
      int inputSize, int outputSize, Activation activation, Random random) {
    return new OutputLayer(
        Initializers.uniformRecurrent(Shape.of(inputSize, outputSize), inputSize, random),
        Initializers.uniformRecurrent(Shape.of(outputSize), inputSize, random),
        activation);
  }

  /** {@code σ(input U + b)}; {@code input} is {@code [batch, features]}. */
  public Var apply(Var input) {
    return apply(input, ownWeights);
  }

  /** The same with {@code weights} (U, b) in place of the parameters. */
  Var apply(Var input, List<? extends Var> weights) {
    Checks.checkInput("OutputLayer", input, "U", inputSize());
    return activation.apply(input.matmul(weights.get(0)).add(weights.get(1)));
  }

  public int inputSize() {
    return u.shape().dim(0);
  }

  public int outputSize() {
    return u.shape().dim(1);
  }

  public Parameter u() {
    return u;
  }

  public Parameter b() {
    return b;
  }

  public Activation activation() {
    return activation;
  }
}

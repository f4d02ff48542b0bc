package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.init.Initializers;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * An affine map on rows, {@code y = x W + b}, with {@code W} of shape {@code [in, out]} as in the
 * notes' batch form. Inputs may be {@code [batch, in]} or {@code [batch, time, in]}. It is a {@code
 * UnaryOperator<Var>}, so it can serve as the readout of a sequence scenario.
 */
public final class Linear extends Layer implements UnaryOperator<Var> {
  private final Parameter weight;
  private final Parameter bias;

  /** Weights and bias uniform in ±1/√in, as PyTorch's {@code nn.Linear}. */
  public Linear(int inputSize, int outputSize, Random random) {
    this(
        Initializers.uniformRecurrent(Shape.of(inputSize, outputSize), inputSize, random),
        Initializers.uniformRecurrent(Shape.of(outputSize), inputSize, random));
  }

  /** With explicit values: {@code weight} is {@code [in, out]}, {@code bias} is {@code [out]}. */
  public Linear(Tensor weight, Tensor bias) {
    checkArgument(
        weight.rank() == 2 && bias.shape().equals(Shape.of(weight.shape().dim(1))),
        "Linear: weight %s and bias %s do not fit: expected [in, out] and [out]",
        weight.shape(),
        bias.shape());
    this.weight = parameter("weight", weight);
    this.bias = parameter("bias", bias);
  }

  @Override
  public Var apply(Var x) {
    checkArgument(
        x.shape().rank() >= 2 && x.shape().dim(-1) == weight.shape().dim(0),
        "Linear: input %s has %s features but the layer takes %s",
        x.shape(),
        x.shape().dim(-1),
        weight.shape().dim(0));
    return x.affine(weight, bias);
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }
}

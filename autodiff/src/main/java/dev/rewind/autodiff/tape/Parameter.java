package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * A named, trainable leaf: a weight matrix or a bias. Its value is replaced between training steps
 * by an optimizer ({@link #assign}); within a step it is used like any other {@link Var}, and a
 * parameter used at every time step of an unrolled sequence gets the sum of the gradients of all
 * its uses.
 */
public final class Parameter extends Var {
  private final String name;

  public Parameter(String name, Tensor initial) {
    super(initial);
    checkArgument(!name.isEmpty(), "parameter: the name is empty");
    this.name = name;
  }

  public String name() {
    return name;
  }

  /**
   * Replaces the value with one of the same shape and dtype. Do it between steps: a tape still open
   * over this parameter differentiates with whatever value it holds when the gradient is taken.
   */
  public void assign(Tensor newValue) {
    checkArgument(
        newValue.shape().equals(shape()),
        "assign: parameter '%s' has shape %s but the new value has shape %s",
        name,
        shape(),
        newValue.shape());
    checkArgument(
        newValue.dtype() == dtype(),
        "assign: parameter '%s' is %s but the new value is %s; change a parameter's dtype with"
            + " convertTo",
        name,
        dtype(),
        newValue.dtype());
    setValue(newValue);
  }

  /**
   * Converts the value to {@code dtype} in place ({@link Tensor#to}): what {@code Layer.to} does to
   * every parameter, as PyTorch's {@code module.to(dtype)}. Do it before training: an optimizer's
   * state keeps the dtype it was made in.
   */
  public void convertTo(DType dtype) {
    setValue(value().to(dtype));
  }

  @Override
  public String toString() {
    return "Parameter '" + name + "' " + shape();
  }
}

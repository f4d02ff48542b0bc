package dev.rewind.layers;

import dev.rewind.autodiff.tape.Var;
import java.util.function.UnaryOperator;

/** The activation functions the notes use for hidden (φ) and output (σ) units. */
public enum Activation {
  TANH(Var::tanh),
  SIGMOID(Var::sigmoid),
  RELU(Var::relu),
  IDENTITY(x -> x),
  /** Softmax over the last axis: the features of each row. */
  SOFTMAX(x -> x.softmax(-1));

  private final UnaryOperator<Var> function;

  Activation(UnaryOperator<Var> function) {
    this.function = function;
  }

  public Var apply(Var x) {
    return function.apply(x);
  }
}

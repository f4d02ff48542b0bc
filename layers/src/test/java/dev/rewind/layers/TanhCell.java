package dev.rewind.layers;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;

/** A minimal Elman cell for tests of the core: {@code h(t) = tanh(x U + h(t−1) W + b)}. */
public final class TanhCell extends Layer implements RecurrentCell<HiddenState> {
  final Parameter u;
  final Parameter w;
  final Parameter b;

  public TanhCell(int inputSize, int hiddenSize, Random random) {
    this.u = parameter("U", Tensor.randomNormal(Shape.of(inputSize, hiddenSize), 0, 0.5, random));
    this.w = parameter("W", Tensor.randomNormal(Shape.of(hiddenSize, hiddenSize), 0, 0.5, random));
    this.b = parameter("b", Tensor.randomNormal(Shape.of(hiddenSize), 0, 0.5, random));
  }

  @Override
  public int inputSize() {
    return u.shape().dim(0);
  }

  @Override
  public HiddenState initialState(int batchSize) {
    return HiddenState.zeros(batchSize, w.shape().dim(0));
  }

  @Override
  public Step<HiddenState> step(Var input, HiddenState state) {
    Var h = input.matmul(u).add(state.h().matmul(w)).add(b).tanh();
    return new Step<>(h, new HiddenState(h));
  }
}

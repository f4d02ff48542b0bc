package dev.rewind.spark.demo;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import java.util.Random;

/**
 * A cell of a user's own, written with the library's generic ops: the minimal gated unit (Zhou et
 * al. 2016), one forget gate instead of the GRU's two. Nothing in the library knows it; sweeps and
 * data-parallel runs train it like a built-in cell.
 *
 * <pre>
 *   f  = σ(x W_f + h U_f + b_f)
 *   h̃ = tanh(x W_h + (f ⊙ h) U_h + b_h)
 *   h' = h + f ⊙ (h̃ − h)                    = (1 − f) ⊙ h + f ⊙ h̃
 * </pre>
 */
public final class MinimalGatedUnit extends Layer implements RecurrentCell<HiddenState> {
  private final int inputSize;
  private final int hiddenSize;
  private final Parameter wf;
  private final Parameter uf;
  private final Parameter bf;
  private final Parameter wh;
  private final Parameter uh;
  private final Parameter bh;

  /** Weights uniform in ±1/√hidden, biases zero. */
  public MinimalGatedUnit(int inputSize, int hiddenSize, Random random) {
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    double bound = 1 / Math.sqrt(hiddenSize);
    this.wf =
        parameter(
            "Wf", Tensor.randomUniform(Shape.of(inputSize, hiddenSize), -bound, bound, random));
    this.uf =
        parameter(
            "Uf", Tensor.randomUniform(Shape.of(hiddenSize, hiddenSize), -bound, bound, random));
    this.bf = parameter("bf", Tensor.zeros(hiddenSize));
    this.wh =
        parameter(
            "Wh", Tensor.randomUniform(Shape.of(inputSize, hiddenSize), -bound, bound, random));
    this.uh =
        parameter(
            "Uh", Tensor.randomUniform(Shape.of(hiddenSize, hiddenSize), -bound, bound, random));
    this.bh = parameter("bh", Tensor.zeros(hiddenSize));
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public HiddenState initialState(int batchSize) {
    return HiddenState.zeros(batchSize, hiddenSize);
  }

  @Override
  public Step<HiddenState> step(Var x, HiddenState state) {
    Var h = state.h();
    Var f = x.matmul(wf).add(h.matmul(uf)).add(bf).sigmoid();
    Var candidate = x.matmul(wh).add(f.mul(h).matmul(uh)).add(bh).tanh();
    Var next = h.add(f.mul(candidate.sub(h)));
    return new Step<>(next, new HiddenState(next));
  }
}

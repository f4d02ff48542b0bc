package dev.rewind.layers.lstm;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.RecurrentState;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What an LSTM carries between steps: the hidden state {@code h} (also the cell's output) and the
 * memory cell {@code c}, each {@code [batch, hidden]}.
 */
public record LstmState(Var h, Var c) implements RecurrentState<LstmState> {

  /** Zeros for both, as PyTorch's default {@code (h0, c0)}. */
  public static LstmState zeros(int batchSize, int hiddenSize) {
    return zeros(batchSize, hiddenSize, DType.FLOAT64);
  }

  /** Zeros for both, in {@code dtype}. */
  public static LstmState zeros(int batchSize, int hiddenSize, DType dtype) {
    Shape shape = Shape.of(batchSize, hiddenSize);
    return new LstmState(
        Var.constant(Tensor.zeros(shape, dtype)), Var.constant(Tensor.zeros(shape, dtype)));
  }

  @Override
  public LstmState where(Tensor keep, LstmState previous) {
    return new LstmState(Var.where(keep, h, previous.h), Var.where(keep, c, previous.c));
  }

  /** Applies {@code f} to {@code h} only: recurrent dropout never touches the memory {@code c}. */
  @Override
  public LstmState mapHidden(UnaryOperator<Var> f) {
    return new LstmState(f.apply(h), c);
  }

  @Override
  public LstmState mapAll(UnaryOperator<Var> f) {
    Var hidden = f.apply(h);
    return new LstmState(hidden, f.apply(c));
  }

  @Override
  public LstmState detach() {
    return new LstmState(h.detach(), c.detach());
  }

  @Override
  public ImmutableMap<String, Tensor> tensors() {
    return ImmutableMap.of("h", h.value(), "c", c.value());
  }

  @Override
  public LstmState withTensors(Map<String, Tensor> tensors) {
    RecurrentState.checkFits(this, tensors);
    return new LstmState(Var.constant(tensors.get("h")), Var.constant(tensors.get("c")));
  }
}

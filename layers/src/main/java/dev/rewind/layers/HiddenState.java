package dev.rewind.layers;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A state that is one tensor of shape {@code [batch, size]}: Elman's h, Jordan's y, GRU's h. */
public record HiddenState(Var h) implements RecurrentState<HiddenState> {

  /** Zeros of shape {@code [batchSize, size]}. */
  public static HiddenState zeros(int batchSize, int size) {
    return zeros(batchSize, size, DType.FLOAT64);
  }

  /** Zeros of shape {@code [batchSize, size]} in {@code dtype}. */
  public static HiddenState zeros(int batchSize, int size, DType dtype) {
    return new HiddenState(Var.constant(Tensor.zeros(Shape.of(batchSize, size), dtype)));
  }

  @Override
  public HiddenState where(Tensor keep, HiddenState previous) {
    return new HiddenState(Var.where(keep, h, previous.h));
  }

  @Override
  public HiddenState mapHidden(UnaryOperator<Var> f) {
    return new HiddenState(f.apply(h));
  }

  @Override
  public HiddenState mapAll(UnaryOperator<Var> f) {
    return new HiddenState(f.apply(h));
  }

  @Override
  public HiddenState detach() {
    return new HiddenState(h.detach());
  }

  @Override
  public ImmutableMap<String, Tensor> tensors() {
    return ImmutableMap.of("h", h.value());
  }

  @Override
  public HiddenState withTensors(Map<String, Tensor> tensors) {
    RecurrentState.checkFits(this, tensors);
    return new HiddenState(Var.constant(tensors.get("h")));
  }
}

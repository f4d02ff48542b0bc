package dev.rewind.autodiff.tape;

import com.google.common.base.Verify;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;

/**
 * An op with several outputs, recorded as one node: the two states of an LSTM step, or the
 * gradients of every input of a fused backward kernel. It is an {@link Op} in all else (shapes
 * checked when applied, one gradient per input, {@link #backwardInPlace} for the pass nothing
 * records); only its two hooks take and give one value per output.
 *
 * <pre>{@code
 * List<Var> outputs = new MyOp().applyAll(x, y);   // outputs.get(k) is output k
 *
 * protected Tensor[] forwardAll(Tensor... inputs)  // one tensor per output
 * protected Var[] backwardAll(Var... gradOutputs)  // one gradient per output, null where unused
 * }</pre>
 *
 * <p>{@link #backwardAll} receives a {@code null} gradient for an output that no gradient reached
 * (not used on the way to the value being differentiated, or used only by ops that do not pass
 * gradients); at least one is not null. It returns one gradient per input, written with {@link Var}
 * ops as every backward rule is, so gradients of gradients flow through it.
 */
public abstract class MultiOutputOp extends Op {

  /**
   * Applies this op to {@code inputs}; its outputs, in order.
   *
   * @throws IllegalArgumentException naming the op and the shapes when the inputs do not fit it
   * @throws IllegalStateException if this instance has been applied before
   */
  public final List<Var> applyAll(Var... inputs) {
    return List.of(record(inputs));
  }

  /** Computes the outputs' values, in order. */
  protected abstract Tensor[] forwardAll(Tensor... inputs);

  /**
   * The gradient with respect to each input, given the gradient with respect to each output ({@code
   * null} for an output no gradient reached). As {@link Op#backward}, skips inputs for which {@link
   * #needsGradient} is false by returning {@code null} for them, and keeps no gradient.
   */
  protected abstract Var[] backwardAll(Var... gradOutputs);

  /** Not used: {@link #forwardAll} computes the outputs. */
  @Override
  protected final Tensor forward(Tensor... inputs) {
    throw new UnsupportedOperationException(name() + ": an op with several outputs");
  }

  /** Not used: {@link #backwardAll} takes one gradient per output. */
  @Override
  protected final Var[] backward(Var gradOutput) {
    throw new UnsupportedOperationException(name() + ": an op with several outputs");
  }

  @Override
  final Var[] forwardOutputs(Tensor[] inputs) {
    Tensor[] values = forwardAll(inputs);
    Verify.verify(values.length > 0, "%s: forwardAll returned no output", name());
    Var[] outputs = new Var[values.length];
    for (int k = 0; k < values.length; k++) {
      outputs[k] = new Var(values[k], k);
    }
    return outputs;
  }

  @Override
  final Var[] backwardOutputs(Var[] gradOutputs) {
    return backwardAll(gradOutputs);
  }
}

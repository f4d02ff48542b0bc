package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** The natural logarithm; defined for positive inputs. */
public final class Log extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.log(in[0]);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.div(x());
  }
}

package dev.rewind.autodiff.ops.elementwise;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Recompute;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;

/**
 * Inverted dropout with a given mask: {@code x * mask}, where the constant mask (from {@link
 * Tensor#dropoutMask}) holds 0 for a dropped element and {@code 1 / (1 - p)} for a kept one, and
 * broadcasts to {@code x} without enlarging it (one mask for every step of a sequence, say). The
 * gradient is the output gradient times the same mask, so a dropped element gets none. A mask of
 * the other dtype is converted to the input's: a mask is a constant of the op, not an operand.
 */
public final class Dropout extends Op {
  private final Tensor mask;

  public Dropout(Tensor mask) {
    this.mask = mask;
  }

  /**
   * {@link Var#dropout(double, boolean, java.util.Random)}: {@code x} itself out of training or
   * with {@code p = 0}, drawing nothing; else {@code x} times a mask drawn from {@code random}.
   */
  public static Var of(Var x, double p, boolean training, Random random) {
    checkArgument(p >= 0 && p <= 1, "dropout: p = %s must be in [0, 1]", p);
    checkArgument(random != null, "dropout: the random generator is null");
    if (!training || p == 0) {
      return x;
    }
    // Drawn through Recompute so that a recomputed segment gets the same mask again.
    return new Dropout(
            Recompute.random(() -> Tensor.dropoutMask(x.shape(), p, random).to(x.dtype())))
        .apply(x);
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    checkArgument(
        mask.shape().broadcastsTo(shapes[0]),
        "dropout: mask %s does not broadcast to the input %s",
        mask.shape(),
        shapes[0]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    // The mask holds 0 and 1 / (1 - p); it takes the input's dtype, as PyTorch's scales in it.
    return Pointwise.mul(in[0], mask.to(in[0].dtype()));
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {
      needsGradient(0) ? gradOutput.mul(Var.constant(mask.to(gradOutput.dtype()))) : null
    };
  }
}

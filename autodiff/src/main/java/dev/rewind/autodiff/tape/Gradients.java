package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Tape#gradient}: one gradient per requested value, keyed by that value's
 * identity (a {@link Parameter} or any {@link Var}), each of the value's shape.
 */
public final class Gradients {
  private final ImmutableList<Var> keys;
  private final IdentityHashMap<Var, Var> gradients;

  private Gradients(ImmutableList<Var> keys, IdentityHashMap<Var, Var> gradients) {
    this.keys = keys;
    this.gradients = gradients;
  }

  static Gradients of(List<? extends Var> xs, Map<Var, Var> computed) {
    IdentityHashMap<Var, Var> result = new IdentityHashMap<>();
    for (Var x : xs) {
      Var gradient = computed.get(x);
      result.put(x, gradient != null ? gradient : Var.constant(Tensor.zeros(x.shape(), x.dtype())));
    }
    return new Gradients(ImmutableList.copyOf(xs), result);
  }

  /**
   * The gradient with respect to {@code x}, as a value that is itself recorded when the gradient
   * was taken inside an outer tape.
   *
   * @throws IllegalArgumentException if the gradient of {@code x} was not requested
   */
  public Var of(Var x) {
    Var gradient = gradients.get(x);
    checkArgument(gradient != null, "gradients: no gradient was requested for %s", x);
    return gradient;
  }

  /** The gradient with respect to {@code x}, as a tensor. */
  public Tensor tensor(Var x) {
    return of(x).value();
  }

  public boolean contains(Var x) {
    return gradients.containsKey(x);
  }

  /** The values whose gradients these are, in the order they were requested. */
  public ImmutableList<Var> keys() {
    return keys;
  }
}

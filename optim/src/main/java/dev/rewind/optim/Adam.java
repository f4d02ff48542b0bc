package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam: per-element steps scaled by bias-corrected running averages of the gradient and of its
 * square, with the semantics of PyTorch's {@code torch.optim.Adam} (weight decay is an L2 penalty
 * added to the gradient; for decoupled decay use {@link AdamW}).
 *
 * <pre>
 * t ← t + 1
 * g ← ∇θ + λ θ
 * m ← β1 m + (1 − β1) g                 m, v start at 0
 * v ← β2 v + (1 − β2) g²
 * θ ← θ − (η_t / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * <p>Kingma and Ba, "Adam: A Method for Stochastic Optimization" (ICLR 2015). Defaults as PyTorch:
 * η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 0.
 */
public final class Adam extends AbstractAdam {
  static final String NAME = "Adam";

  private Adam(ImmutableMap<String, Parameter> parameters, AdamMoments moments) {
    super(NAME, parameters, moments);
  }

  public static Builder builder(List<Parameter> parameters) {
    return new Builder(keyedByName(NAME, parameters));
  }

  /** A builder over a model's {@code namedParameters()}; exported state is keyed by those paths. */
  public static Builder builder(Map<String, ? extends Parameter> namedParameters) {
    return new Builder(ImmutableMap.copyOf(namedParameters));
  }

  /** Adds the L2 penalty λθ to the gradient, then takes the moment step. */
  @Override
  void move(Tensor value, Tensor gradient, AdamMoments.Step step, double[] next) {
    for (int i = 0; i < next.length; i++) {
      double theta = value.getFlat(i);
      double g = gradient.getFlat(i);
      if (moments.weightDecay != 0) {
        // g ← ∇θ + λ θ
        g = g + moments.weightDecay * theta;
      }
      next[i] = step.move(i, theta, g);
    }
  }

  /** Collects Adam's hyperparameters and checks them in {@link #build}. */
  public static final class Builder extends AdamBuilder<Builder> {
    private Builder(ImmutableMap<String, Parameter> parameters) {
      super(NAME, parameters, 0);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The L2 penalty λ added to the gradient as λθ; default 0. */
    @CanIgnoreReturnValue
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Adam build() {
      return new Adam(parameters, moments());
    }
  }
}

package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay: the parameters shrink by a factor before the Adam step instead
 * of the decay entering the gradient, with the semantics of PyTorch's {@code torch.optim.AdamW}.
 *
 * <pre>
 * t ← t + 1
 * θ ← θ (1 − η_t λ)
 * m ← β1 m + (1 − β1) ∇θ                m, v start at 0
 * v ← β2 v + (1 − β2) (∇θ)²
 * θ ← θ − (η_t / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * <p>Loshchilov and Hutter, "Decoupled Weight Decay Regularization" (ICLR 2019). Defaults as
 * PyTorch: η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 1e-2.
 */
public final class AdamW extends AbstractAdam {
  static final String NAME = "AdamW";

  private AdamW(ImmutableMap<String, Parameter> parameters, AdamMoments moments) {
    super(NAME, parameters, moments);
  }

  public static Builder builder(List<Parameter> parameters) {
    return new Builder(keyedByName(NAME, parameters));
  }

  /** A builder over a model's {@code namedParameters()}; exported state is keyed by those paths. */
  public static Builder builder(Map<String, ? extends Parameter> namedParameters) {
    return new Builder(ImmutableMap.copyOf(namedParameters));
  }

  /** Shrinks the parameter by the factor 1 − η_t λ, then takes the moment step. */
  @Override
  void move(Tensor value, Tensor gradient, AdamMoments.Step step, double[] next) {
    double shrink = 1 - step.rate * moments.weightDecay;
    for (int i = 0; i < next.length; i++) {
      // θ ← θ (1 − η_t λ)
      double theta = value.getFlat(i) * shrink;
      next[i] = step.move(i, theta, gradient.getFlat(i));
    }
  }

  /** Collects AdamW's hyperparameters and checks them in {@link #build}. */
  public static final class Builder extends AdamBuilder<Builder> {
    private Builder(ImmutableMap<String, Parameter> parameters) {
      super(NAME, parameters, 1e-2);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The decoupled decay λ: each step multiplies θ by 1 − η_t λ; default 1e-2. */
    @CanIgnoreReturnValue
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public AdamW build() {
      return new AdamW(parameters, moments());
    }
  }
}

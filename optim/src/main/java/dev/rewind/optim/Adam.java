package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.schedule.LearningRateSchedule;
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
public final class Adam extends AbstractOptimizer {
  static final String NAME = "Adam";

  private final AdamMoments moments;

  private Adam(ImmutableMap<String, Parameter> parameters, AdamMoments moments) {
    super(NAME, parameters);
    this.moments = moments;
  }

  public static Builder builder(List<Parameter> parameters) {
    return new Builder(keyedByName(NAME, parameters));
  }

  /** A builder over a model's {@code namedParameters()}; exported state is keyed by those paths. */
  public static Builder builder(Map<String, ? extends Parameter> namedParameters) {
    return new Builder(ImmutableMap.copyOf(namedParameters));
  }

  @Override
  protected void update(ParameterGradients gradients, long step) {
    double rate = Hyperparameters.rateAt(NAME, moments.learningRate, step);
    for (Parameter parameter : parameters()) {
      double[] theta = parameter.value().toArray();
      double[] g = gradients.tensor(parameter).toArray();
      if (moments.weightDecay != 0) {
        for (int i = 0; i < g.length; i++) {
          g[i] = g[i] + moments.weightDecay * theta[i];
        }
      }
      Tensor zeros = Tensor.zeros(parameter.shape());
      double[] m = slot(parameter, AdamMoments.FIRST_MOMENT).orElse(zeros).toArray();
      double[] v = slot(parameter, AdamMoments.SECOND_MOMENT).orElse(zeros).toArray();
      moments.step(theta, g, m, v, rate, step + 1);
      putSlot(parameter, AdamMoments.FIRST_MOMENT, Tensor.of(parameter.shape(), m));
      putSlot(parameter, AdamMoments.SECOND_MOMENT, Tensor.of(parameter.shape(), v));
      parameter.assign(Tensor.of(parameter.shape(), theta));
    }
  }

  /** Collects Adam's hyperparameters and checks them in {@link #build}. */
  public static final class Builder {
    private final ImmutableMap<String, Parameter> parameters;
    private LearningRateSchedule learningRate = LearningRateSchedule.constant(1e-3);
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private double weightDecay;

    private Builder(ImmutableMap<String, Parameter> parameters) {
      this.parameters = parameters;
    }

    /** The learning rate η, the same at every step; positive; default 1e-3. */
    @CanIgnoreReturnValue
    public Builder learningRate(double learningRate) {
      Hyperparameters.checkLearningRate(NAME, learningRate);
      this.learningRate = LearningRateSchedule.constant(learningRate);
      return this;
    }

    /** The learning rate η_t of each step. */
    @CanIgnoreReturnValue
    public Builder learningRate(LearningRateSchedule schedule) {
      this.learningRate = schedule;
      return this;
    }

    /** The decay rates β1 and β2 of the two moments, each in [0, 1); default 0.9 and 0.999. */
    @CanIgnoreReturnValue
    public Builder betas(double beta1, double beta2) {
      this.beta1 = beta1;
      this.beta2 = beta2;
      return this;
    }

    /** The ε added to the denominator; positive; default 1e-8. */
    @CanIgnoreReturnValue
    public Builder epsilon(double epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /** The L2 penalty λ added to the gradient as λθ; default 0. */
    @CanIgnoreReturnValue
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Adam build() {
      return new Adam(
          parameters, new AdamMoments(NAME, learningRate, beta1, beta2, epsilon, weightDecay));
    }
  }
}

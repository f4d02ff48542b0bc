package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.schedule.LearningRateSchedule;
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
public final class AdamW extends AbstractOptimizer {
  static final String NAME = "AdamW";

  private final AdamMoments moments;

  private AdamW(ImmutableMap<String, Parameter> parameters, AdamMoments moments) {
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
    double shrink = 1 - rate * moments.weightDecay;
    for (Parameter parameter : parameters()) {
      double[] theta = parameter.value().toArray();
      for (int i = 0; i < theta.length; i++) {
        theta[i] = theta[i] * shrink;
      }
      double[] g = gradients.tensor(parameter).toArray();
      Tensor zeros = Tensor.zeros(parameter.shape());
      double[] m = slot(parameter, AdamMoments.FIRST_MOMENT).orElse(zeros).toArray();
      double[] v = slot(parameter, AdamMoments.SECOND_MOMENT).orElse(zeros).toArray();
      moments.step(theta, g, m, v, rate, step + 1);
      putSlot(parameter, AdamMoments.FIRST_MOMENT, Tensor.of(parameter.shape(), m));
      putSlot(parameter, AdamMoments.SECOND_MOMENT, Tensor.of(parameter.shape(), v));
      parameter.assign(Tensor.of(parameter.shape(), theta));
    }
  }

  /** Collects AdamW's hyperparameters and checks them in {@link #build}. */
  public static final class Builder {
    private final ImmutableMap<String, Parameter> parameters;
    private LearningRateSchedule learningRate = LearningRateSchedule.constant(1e-3);
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private double weightDecay = 1e-2;

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

    /** The decoupled decay λ: each step multiplies θ by 1 − η_t λ; default 1e-2. */
    @CanIgnoreReturnValue
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public AdamW build() {
      return new AdamW(
          parameters, new AdamMoments(NAME, learningRate, beta1, beta2, epsilon, weightDecay));
    }
  }
}

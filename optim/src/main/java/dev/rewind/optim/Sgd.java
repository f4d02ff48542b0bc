package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.schedule.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, with the
 * semantics of PyTorch's {@code torch.optim.SGD} (the momentum buffer starts as the first gradient,
 * undamped).
 *
 * <pre>
 * g ← ∇θ + λ θ                         weight decay λ
 * b ← g                                at the first step
 * b ← μ b + (1 − τ) g                  afterwards; momentum μ, dampening τ
 * g ← g + μ b   (Nesterov)   or   g ← b   (when μ ≠ 0)
 * θ ← θ − η_t g                        η_t from the learning-rate schedule
 * </pre>
 *
 * <p>Sutskever, Martens, Dahl and Hinton, "On the importance of initialization and momentum in deep
 * learning" (ICML 2013).
 */
public final class Sgd extends AbstractOptimizer {
  static final String NAME = "Sgd";
  private static final String MOMENTUM_BUFFER = "momentumBuffer";

  private final LearningRateSchedule learningRate;
  private final double momentum;
  private final double dampening;
  private final boolean nesterov;
  private final double weightDecay;

  private Sgd(Builder builder) {
    super(NAME, builder.parameters);
    this.learningRate = builder.learningRate;
    this.momentum = builder.momentum;
    this.dampening = builder.dampening;
    this.nesterov = builder.nesterov;
    this.weightDecay = builder.weightDecay;
  }

  /** A builder for SGD over {@code parameters}; the learning rate must be set. */
  public static Builder builder(List<Parameter> parameters) {
    return new Builder(keyedByName(NAME, parameters));
  }

  /** A builder over a model's {@code namedParameters()}; exported state is keyed by those paths. */
  public static Builder builder(Map<String, ? extends Parameter> namedParameters) {
    return new Builder(ImmutableMap.copyOf(namedParameters));
  }

  @Override
  protected void update(ParameterGradients gradients, long step) {
    double rate = Hyperparameters.rateAt(NAME, learningRate, step);
    for (Parameter parameter : parameters()) {
      boolean firstStep = momentum != 0 && !hasSlot(parameter, MOMENTUM_BUFFER);
      double[] buffer = momentum != 0 ? slot(parameter, MOMENTUM_BUFFER, 0) : null;
      Tensor value = parameter.value();
      Tensor gradient = gradients.tensor(parameter);
      double[] next = valueBuffer(parameter);
      for (int i = 0; i < next.length; i++) {
        double theta = value.getFlat(i);
        double g = gradient.getFlat(i);
        if (weightDecay != 0) {
          // g ← ∇θ + λ θ
          g = g + weightDecay * theta;
        }
        if (momentum != 0) {
          // b ← g at the first step, b ← μ b + (1 − τ) g afterwards
          buffer[i] = firstStep ? g : buffer[i] * momentum + (1 - dampening) * g;
          // g ← g + μ b (Nesterov), or g ← b
          g = nesterov ? g + momentum * buffer[i] : buffer[i];
        }
        // θ ← θ − η_t g
        next[i] = theta + -rate * g;
      }
      assign(parameter, next);
    }
  }

  /** Collects SGD's hyperparameters and checks them in {@link #build}. */
  public static final class Builder extends RateBuilder<Builder> {
    private double momentum;
    private double dampening;
    private boolean nesterov;
    private double weightDecay;

    private Builder(ImmutableMap<String, Parameter> parameters) {
      super(NAME, parameters, null);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The momentum coefficient μ in [0, 1); 0 (the default) means no momentum. */
    @CanIgnoreReturnValue
    public Builder momentum(double momentum) {
      Hyperparameters.checkFraction(NAME, "momentum", momentum);
      this.momentum = momentum;
      return this;
    }

    /** The dampening τ in [0, 1) of the gradient added to the momentum buffer; default 0. */
    @CanIgnoreReturnValue
    public Builder dampening(double dampening) {
      Hyperparameters.checkFraction(NAME, "dampening", dampening);
      this.dampening = dampening;
      return this;
    }

    /** Uses Nesterov momentum; needs a momentum above 0 and no dampening. */
    @CanIgnoreReturnValue
    public Builder nesterov() {
      this.nesterov = true;
      return this;
    }

    /** The L2 penalty λ added to the gradient as λθ; default 0. */
    @CanIgnoreReturnValue
    public Builder weightDecay(double weightDecay) {
      Hyperparameters.checkNonNegative(NAME, "weightDecay", weightDecay);
      this.weightDecay = weightDecay;
      return this;
    }

    public Sgd build() {
      checkArgument(learningRate != null, "%s: the learning rate was not set", NAME);
      checkArgument(
          !nesterov || (momentum > 0 && dampening == 0),
          "%s: Nesterov momentum needs momentum > 0 and dampening 0, but momentum is %s and"
              + " dampening %s",
          NAME,
          momentum,
          dampening);
      return new Sgd(this);
    }
  }
}

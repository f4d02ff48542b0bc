package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Resilient propagation: each weight moves by its own step Δ against the <em>sign</em> of its
 * gradient, and Δ grows while the sign holds and shrinks when it flips. The {@link RpropVariant}
 * decides what a flip does to the weight; the step adaptation is common to all four.
 *
 * <pre>
 * s ← sign(g) · sign(g_prev)                       g_prev starts at 0, Δ at Δ0
 * Δ ← min(Δ η+, Δmax)   if s &gt; 0
 * Δ ← max(Δ η−, Δmin)   if s &lt; 0
 * then the variant's move (see RpropVariant), e.g. Rprop−:  w ← w − sign(g) Δ;  g_prev ← g
 * </pre>
 *
 * <p>Only the signs of the gradients are used, so Rprop is meant for <b>full-batch</b> training:
 * with mini-batches the sign of each batch's gradient flips from batch to batch for reasons that
 * have nothing to do with overshooting a minimum, and Δ collapses. Note 003 uses it on the 8-bit
 * sum with η+ = 1.2, η− = 0.5 and Δ0 = 0.001, because only signs survive the vanishing and
 * exploding gradients of a long unroll.
 *
 * <p><b>PyTorch.</b> {@code torch.optim.Rprop(params, lr, etas=(etaminus, etaplus),
 * step_sizes=(min, max))} is {@link RpropVariant#IRPROP_MINUS}, built here as {@code
 * Rprop.builder(RpropVariant.IRPROP_MINUS, params).initialStep(lr).etaMinus(etaminus)
 * .etaPlus(etaplus).stepBounds(min, max)}; PyTorch's defaults (lr = 0.01, etas = (0.5, 1.2),
 * step_sizes = (1e-6, 50)) are the defaults here. One difference: PyTorch accepts an {@code lr}
 * outside the step bounds and clamps it at the first step; here that is an error.
 */
public final class Rprop extends AbstractOptimizer {
  private static final String STEP = "step";
  private static final String PREVIOUS_GRADIENT = "previousGradient";
  private static final String LAST_CHANGE = "lastChange";
  private static final String PREVIOUS_LOSS = "previousLoss";

  private final RpropVariant variant;
  private final double initialStep;
  private final double etaPlus;
  private final double etaMinus;
  private final double minStep;
  private final double maxStep;

  private Rprop(Builder builder) {
    super("Rprop(" + builder.variant + ")", builder.parameters);
    this.variant = builder.variant;
    this.initialStep = builder.initialStep;
    this.etaPlus = builder.etaPlus;
    this.etaMinus = builder.etaMinus;
    this.minStep = builder.minStep;
    this.maxStep = builder.maxStep;
  }

  /** A builder for the Rprop {@code variant} over {@code parameters}, with the defaults above. */
  public static Builder builder(RpropVariant variant, List<Parameter> parameters) {
    return new Builder(variant, keyedByName("Rprop(" + variant + ")", parameters));
  }

  /** A builder over a model's {@code namedParameters()}; exported state is keyed by those paths. */
  public static Builder builder(
      RpropVariant variant, Map<String, ? extends Parameter> namedParameters) {
    return new Builder(variant, ImmutableMap.copyOf(namedParameters));
  }

  public RpropVariant variant() {
    return variant;
  }

  @Override
  protected void update(ParameterGradients gradients, long stepCount) {
    boolean lossGrew = variant.needsLoss() && lossGrew(gradients.loss());
    for (Parameter parameter : parameters()) {
      double[] step = slot(parameter, STEP, initialStep);
      double[] remembered = slot(parameter, PREVIOUS_GRADIENT, 0);
      double[] lastChange = variant.backtracks() ? slot(parameter, LAST_CHANGE, 0) : null;
      double[] weight = valueBuffer(parameter);
      RpropElements e = new RpropElements(weight, remembered, step, lastChange);
      Tensor value = parameter.value();
      Tensor gradient = gradients.tensor(parameter);
      for (int i = 0; i < weight.length; i++) {
        double g = gradient.getFlat(i);
        // NOTE: the product of the signs, not sign(g * g_prev), which underflows to 0 for tiny g.
        double agreement = Math.signum(g) * Math.signum(remembered[i]);
        double factor = agreement > 0 ? etaPlus : agreement < 0 ? etaMinus : 1.0;
        // Δ ← min(max(Δ η, Δmin), Δmax), η = η+, η− or 1
        step[i] = Math.min(Math.max(step[i] * factor, minStep), maxStep);
        weight[i] = value.getFlat(i);
        // g_prev ← g, which the variant may forget
        remembered[i] = g;
        variant.apply(e, i, agreement < 0, lossGrew);
      }
      assign(parameter, weight);
    }
  }

  /** Whether {@code loss} is above the previous step's, which it then replaces. */
  private boolean lossGrew(OptionalDouble loss) {
    checkArgument(
        loss.isPresent(),
        "%s: iRprop+ compares the loss between steps; give it with"
            + " ParameterGradients.withLoss(loss)",
        name());
    double current = loss.getAsDouble();
    checkArgument(Double.isFinite(current), "%s: the loss %s is not finite", name(), current);
    boolean grew = scalar(PREVIOUS_LOSS).map(previous -> current > previous).orElse(false);
    putScalar(PREVIOUS_LOSS, current);
    return grew;
  }

  /** Collects Rprop's hyperparameters and checks them in {@link #build}. */
  public static final class Builder {
    private final RpropVariant variant;
    private final ImmutableMap<String, Parameter> parameters;
    private double initialStep = 0.01;
    private double etaPlus = 1.2;
    private double etaMinus = 0.5;
    private double minStep = 1e-6;
    private double maxStep = 50;

    private Builder(RpropVariant variant, ImmutableMap<String, Parameter> parameters) {
      this.variant = variant;
      this.parameters = parameters;
    }

    /** Δ0, every weight's first step, in [Δmin, Δmax]; default 0.01 (note 003 uses 0.001). */
    @CanIgnoreReturnValue
    public Builder initialStep(double initialStep) {
      this.initialStep = initialStep;
      return this;
    }

    /** η+, the factor Δ grows by while the sign holds; above 1; default 1.2. */
    @CanIgnoreReturnValue
    public Builder etaPlus(double etaPlus) {
      this.etaPlus = etaPlus;
      return this;
    }

    /** η−, the factor Δ shrinks by when the sign flips; in (0, 1); default 0.5. */
    @CanIgnoreReturnValue
    public Builder etaMinus(double etaMinus) {
      this.etaMinus = etaMinus;
      return this;
    }

    /** Δmin and Δmax, the bounds of every step; 0 ≤ Δmin ≤ Δmax; default 1e-6 and 50. */
    @CanIgnoreReturnValue
    public Builder stepBounds(double minStep, double maxStep) {
      this.minStep = minStep;
      this.maxStep = maxStep;
      return this;
    }

    public Rprop build() {
      String name = "Rprop(" + variant + ")";
      checkArgument(
          etaPlus > 1 && Double.isFinite(etaPlus),
          "%s: etaPlus %s must be above 1 and finite",
          name,
          etaPlus);
      checkArgument(
          etaMinus > 0 && etaMinus < 1, "%s: etaMinus %s must be in (0, 1)", name, etaMinus);
      checkArgument(
          minStep >= 0 && Double.isFinite(maxStep),
          "%s: step bounds [%s, %s] must be finite and not negative",
          name,
          minStep,
          maxStep);
      checkArgument(
          minStep <= maxStep, "%s: minStep %s is above maxStep %s", name, minStep, maxStep);
      checkArgument(
          initialStep > 0 && initialStep >= minStep && initialStep <= maxStep,
          "%s: initialStep %s must be positive and within the step bounds [%s, %s]",
          name,
          initialStep,
          minStep,
          maxStep);
      return new Rprop(this);
    }
  }
}

package dev.rewind.train;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One training step, as a {@link TrainingListener} hears of it.
 *
 * @param step the number of steps taken, this one included: 1 after the first
 * @param loss the loss before the update
 * @param accuracy the share of right predictions, if the step counted any
 * @param gradientNorm the optimizer's {@code StepReport.gradientNorm}: the global L2 norm of the
 *     gradients before clipping, or under a {@code ClippedOptimizer} the norm its clipper compares
 *     with its threshold (the largest absolute element, for clipping by value)
 * @param skipped whether the optimizer skipped the update (a non-finite step under {@code
 *     NonFinitePolicy.SKIP_STEP})
 * @param anomaly where the step first went non-finite, if it did
 * @param size the sequences in the batch times the time steps of the window
 */
public record StepEvent(
    long step,
    double loss,
    OptionalDouble accuracy,
    double gradientNorm,
    boolean skipped,
    Optional<AnomalyReport> anomaly,
    long size) {}

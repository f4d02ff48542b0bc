package dev.rewind.train;

/**
 * A training step produced NaN or ±Inf and the optimizer's policy is to fail ({@code
 * NonFinitePolicy.THROW}, or an optimizer without a policy): the parameters and the optimizer are
 * as they were before the step. The message is the {@link AnomalyReport}'s description.
 */
public final class TrainingAnomalyException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final transient AnomalyReport report;

  public TrainingAnomalyException(AnomalyReport report, RuntimeException cause) {
    super(report.describe());
    this.report = report;
    initCause(cause);
  }

  public AnomalyReport report() {
    return report;
  }
}

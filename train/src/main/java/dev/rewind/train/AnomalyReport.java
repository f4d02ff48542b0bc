package dev.rewind.train;

import com.google.common.collect.ImmutableList;

/**
 * Where a training step first went non-finite: the step, the first parameter whose gradient holds
 * NaN or ±Inf (by its dotted name in the model), and the op that first produced one, as anomaly
 * mode names it ({@code anomaly: the backward pass of sqrt produced Inf in the gradient of input 0;
 * input shapes [3]; built at ...}).
 *
 * @param step the training step
 * @param loss the step's loss, possibly NaN or infinite
 * @param parameter the first parameter, in the optimizer's order, whose gradient is not finite;
 *     empty when only the loss is
 * @param nonFiniteParameters every such parameter, in order
 * @param op the anomaly-mode message of the first op that produced NaN or ±Inf, forward or backward
 * @param skipped whether the optimizer skipped the step
 */
public record AnomalyReport(
    long step,
    double loss,
    String parameter,
    ImmutableList<String> nonFiniteParameters,
    String op,
    boolean skipped) {

  /**
   * One line for a log: {@code step 17: gradient of cell.weightHh is not finite (loss NaN); ...}.
   */
  public String describe() {
    String what =
        parameter.isEmpty()
            ? "the loss is " + loss
            : "the gradient of " + parameter + " is not finite (loss " + loss + ")";
    return "step " + step + ": " + what + "; " + op + (skipped ? "; the step was skipped" : "");
  }
}

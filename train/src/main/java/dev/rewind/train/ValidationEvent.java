package dev.rewind.train;

import java.util.OptionalDouble;

/**
 * One measurement of the validation loss.
 *
 * @param step the steps taken when it was measured
 * @param loss the mean loss over the validation batches, weighted by the predictions each counted
 * @param accuracy the share of right predictions over all validation batches, if any were counted
 * @param best whether this is the lowest loss so far by more than early stopping's minimum delta
 */
public record ValidationEvent(long step, double loss, OptionalDouble accuracy, boolean best) {}

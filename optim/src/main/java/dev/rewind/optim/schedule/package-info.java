/**
 * Learning-rate schedules: the rate of each optimizer step as a pure function of the step count.
 *
 * <ol>
 *   <li>{@link dev.rewind.optim.schedule.LearningRateSchedule} — the interface: {@code rate(t)}.
 *   <li>{@link dev.rewind.optim.schedule.ConstantRate} — the same rate at every step.
 *   <li>{@link dev.rewind.optim.schedule.StepDecay} — multiplied by γ every few steps.
 *   <li>{@link dev.rewind.optim.schedule.ExponentialDecay} — multiplied by γ at every step.
 *   <li>{@link dev.rewind.optim.schedule.CosineAnnealing} — half a cosine down to a minimum.
 * </ol>
 *
 * <p>Schedules hold no state: an optimizer asks for {@code rate(steps())}, so restoring its step
 * count restores its place on the schedule.
 */
@CheckReturnValue
package dev.rewind.optim.schedule;

import com.google.errorprone.annotations.CheckReturnValue;

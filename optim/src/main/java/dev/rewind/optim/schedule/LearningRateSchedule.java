package dev.rewind.optim.schedule;

/**
 * The learning rate as a function of the number of optimizer steps taken: step {@code t} (from 0)
 * is taken with {@code rate(t)}. A schedule is a pure function, so an optimizer restored with its
 * step count continues on the same schedule. Rates follow the closed forms of PyTorch's schedulers
 * when those are stepped once per optimizer step.
 *
 * <pre>
 * η_t = rate(t),   t = 0, 1, 2, ...
 * </pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /** The learning rate of step {@code step} (0 for the first); finite and not negative. */
  double rate(long step);

  /** The same {@code rate} at every step. */
  static LearningRateSchedule constant(double rate) {
    return new ConstantRate(rate);
  }
}

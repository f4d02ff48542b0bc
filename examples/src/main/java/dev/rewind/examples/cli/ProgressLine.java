package dev.rewind.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live progress of a training run on stderr: step, loss, tokens per second and time left. On a
 * terminal the line is rewritten in place (carriage return) at most ten times a second; elsewhere
 * (a log file, a pipe, a test) a new line is printed every {@code every} steps and at the last.
 */
final class ProgressLine {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final double SMOOTHING = 0.1;

  private final PrintWriter err;
  private final boolean terminal;
  private final long firstStep;
  private final long totalSteps;
  private final long every;
  private final long start = System.nanoTime();
  private long lastDrawn = start - REDRAW_NANOS;
  private int lastWidth;
  private double smoothedLoss = Double.NaN;
  private long tokens;

  ProgressLine(PrintWriter err, boolean terminal, long totalSteps, long every) {
    this(err, terminal, 0, totalSteps, every);
  }

  /**
   * A run that starts after {@code firstStep} steps (a resumed run): speed and time left count only
   * the steps taken since.
   */
  ProgressLine(PrintWriter err, boolean terminal, long firstStep, long totalSteps, long every) {
    this.err = err;
    this.terminal = terminal;
    this.firstStep = firstStep;
    this.totalSteps = totalSteps;
    this.every = Math.max(1, every);
  }

  /** Records step {@code step} (counted from 1) and shows it if it is time to. */
  void update(long step, double loss, int stepTokens) {
    smoothedLoss =
        Double.isNaN(smoothedLoss) ? loss : (1 - SMOOTHING) * smoothedLoss + SMOOTHING * loss;
    tokens += stepTokens;
    long now = System.nanoTime();
    boolean last = step == totalSteps;
    if (terminal) {
      if (last || now - lastDrawn >= REDRAW_NANOS) {
        String line = line(step, now);
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        lastWidth = line.length();
        lastDrawn = now;
        err.flush();
      }
    } else if (last || step % every == 0) {
      err.println(line(step, now));
      err.flush();
    }
  }

  /** Ends the line on a terminal, so that what follows starts on a line of its own. */
  void finish() {
    if (terminal && lastWidth > 0) {
      err.println();
      err.flush();
    }
  }

  private String line(long step, long now) {
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? tokens / seconds : 0;
    long taken = step - firstStep;
    double left = taken > 0 ? seconds / taken * (totalSteps - step) : Double.NaN;
    return String.format(
        Locale.ROOT,
        "step %d/%d  loss %.3f  %,.0f tokens/s  %s elapsed, %s left",
        step,
        totalSteps,
        smoothedLoss,
        rate,
        duration(seconds),
        duration(left));
  }

  /** {@code 42s}, {@code 3m 05s}, {@code 1h 02m}. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
  }
}

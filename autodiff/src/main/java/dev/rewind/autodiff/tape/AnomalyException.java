package dev.rewind.autodiff.tape;

/**
 * Thrown in anomaly mode by the first op whose output or gradient holds NaN or ±Inf. The message
 * names the op, its input shapes and the line of code that built it.
 */
public final class AnomalyException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  public AnomalyException(String message) {
    super(message);
  }
}

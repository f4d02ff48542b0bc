package dev.rewind.optim;

/**
 * Thrown instead of writing NaN or an infinity into a parameter: a gradient element is not finite.
 * The message names the parameter, the element's row-major position and its value.
 */
public final class NonFiniteGradientException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final String parameterName;
  private final int position;
  private final double value;

  public NonFiniteGradientException(
      String operation, String parameterName, int position, double value) {
    super(
        String.format(
            "%s: gradient for parameter '%s' is %s at element %s; the step was not taken",
            operation, parameterName, value, position));
    this.parameterName = parameterName;
    this.position = position;
    this.value = value;
  }

  /** The name of the parameter whose gradient is not finite. */
  public String parameterName() {
    return parameterName;
  }

  /** The row-major position of the first element that is not finite. */
  public int position() {
    return position;
  }

  /** NaN, or an infinity. */
  public double value() {
    return value;
  }
}

package dev.rewind.autodiff.tensor;

/**
 * The element type of a tensor. {@link #FLOAT64} is the default and the only one gradient checks
 * run in; {@link #FLOAT32} halves memory and runs products on single-precision BLAS. Every kernel
 * exists in both, the float32 ones generated from the float64 sources when the library is built,
 * and an op on two dtypes is an error: conversion is explicit, with {@link Tensor#to(DType)}.
 */
public enum DType {
  FLOAT64("float64", "F64", 8),
  FLOAT32("float32", "F32", 4);

  private final String label;
  private final String safetensorsName;
  private final int bytes;

  DType(String label, String safetensorsName, int bytes) {
    this.label = label;
    this.safetensorsName = safetensorsName;
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The name a safetensors header gives this type: {@code F64} or {@code F32}. */
  public String safetensorsName() {
    return safetensorsName;
  }

  /**
   * The dtype named {@code name}, as PyTorch and NumPy spell it ({@code float32}, {@code f32},
   * {@code float64}, {@code f64}, {@code double}, {@code float}).
   *
   * @throws IllegalArgumentException for any other name, listing the accepted ones
   */
  public static DType parse(String name) {
    return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "float64", "f64", "double" -> FLOAT64;
      case "float32", "f32", "float" -> FLOAT32;
      default ->
          throw new IllegalArgumentException(
              "dtype: '" + name + "' is not float64 (f64, double) or float32 (f32, float)");
    };
  }

  /**
   * Whether the operands of {@code op} are float32, as a kernel asks before handing them to its
   * float32 twin: false when all are float64. Null operands, left out, are skipped.
   *
   * @throws IllegalArgumentException naming the op and the dtypes when they differ
   */
  public static boolean isFloat32(String op, Tensor... operands) {
    DType first = null;
    for (Tensor operand : operands) {
      if (operand == null) {
        continue; // an optional operand left out
      }
      if (first == null) {
        first = operand.dtype();
      } else if (operand.dtype() != first) {
        throw new IllegalArgumentException(mixed(op, first, operand.dtype()));
      }
    }
    return first == FLOAT32;
  }

  /** The message for an op given operands of two dtypes: {@code add: float64 and float32 ...}. */
  public static String mixed(String op, DType a, DType b) {
    return op + ": " + a + " and " + b + " operands; convert one explicitly with to(DType)";
  }

  @Override
  public String toString() {
    return label;
  }
}

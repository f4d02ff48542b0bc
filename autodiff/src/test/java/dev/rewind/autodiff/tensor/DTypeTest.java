package dev.rewind.autodiff.tensor;

import static dev.rewind.autodiff.tensor.DType.FLOAT32;
import static dev.rewind.autodiff.tensor.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tensor's dtype: conversion in both directions, equality and printing that tell the dtypes
 * apart, parsing a dtype's name, and the errors of a kernel or a gradient sum given two dtypes.
 */
class DTypeTest {
  private static final Shape THREE = Shape.of(3);

  // Conversion.

  @Test
  void toFloat32RoundsEachElementToTheNearestFloatTiesToEven() {
    // 1 + 2⁻²⁴ lies halfway between 1 and the next float, 1 + 2⁻²³: the tie goes to 1, whose last
    // bit is even; 1 + 3·2⁻²⁴ lies halfway between 1 + 2⁻²³ and 1 + 2⁻²², and goes up.
    Tensor wide = Tensor.vector(0.1, 1 + 0x1p-24, 1 + 3 * 0x1p-24);

    Tensor narrow = wide.to(FLOAT32);

    assertEquals(FLOAT32, narrow.dtype());
    assertArrayEquals(new float[] {0.1f, 1f, 1 + 0x1p-22f}, narrow.toFloatArray());
  }

  @Test
  void toFloat32OverflowsToInfinityAndUnderflowsToZeroAsACastDoes() {
    Tensor narrow = Tensor.vector(1e40, -1e40, 1e-50).to(FLOAT32);

    assertArrayEquals(
        new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f}, narrow.toFloatArray());
  }

  @Test
  void float32ToFloat64AndBackIsExact() {
    Tensor narrow = Tensor.ofFloats(THREE, 0.1f, -3.4e38f, Float.MIN_VALUE);

    Tensor wide = narrow.to(FLOAT64);

    assertEquals(FLOAT64, wide.dtype());
    assertArrayEquals(new double[] {0.1f, -3.4e38f, Float.MIN_VALUE}, wide.toArray());
    assertEquals(narrow, wide.to(FLOAT32));
  }

  @Test
  void toItsOwnDTypeIsTheTensorItself() {
    Tensor wide = Tensor.vector(1, 2, 3);
    Tensor narrow = wide.to(FLOAT32);

    assertSame(wide, wide.to(FLOAT64));
    assertSame(narrow, narrow.to(FLOAT32));
  }

  @Test
  void factoriesMakeTheDTypeAsked() {
    Tensor zeros = Tensor.zeros(THREE, FLOAT32);
    Tensor full = Tensor.full(THREE, 0.1, FLOAT32);

    assertEquals(Tensor.ofFloats(THREE, 0, 0, 0), zeros);
    assertEquals(Tensor.ofFloats(THREE, 0.1f, 0.1f, 0.1f), full);
    assertEquals(zeros, Tensor.zerosLike(full));
    assertEquals(Tensor.zeros(THREE), Tensor.zeros(THREE, FLOAT64));
  }

  @Test
  void ofValuesInADTypeRoundsOnceAndKeepsNoReferenceToThem() {
    double[] values = {0.1, 1 + 0x1p-24, 1e40};

    Tensor narrow = Tensor.of(THREE, FLOAT32, values);
    Tensor wide = Tensor.of(THREE, FLOAT64, values);
    values[0] = 7;

    assertEquals(Tensor.ofFloats(THREE, 0.1f, 1f, Float.POSITIVE_INFINITY), narrow);
    assertEquals(Tensor.vector(0.1, 1 + 0x1p-24, 1e40), wide);
  }

  @Test
  void accessorsReadAFloat32TensorAsDoubles() {
    Tensor narrow = Tensor.ofFloats(Shape.of(1, 2), 0.1f, 2.5f);

    assertEquals(0.1f, narrow.get(0, 0));
    assertEquals(2.5, narrow.getFlat(1));
    assertEquals(0.1f, Layout.slice(narrow.reshape(Shape.of(2)), 0, 0, 1).item());
  }

  @Test
  void toFloatArrayIsACopy() {
    Tensor narrow = Tensor.ofFloats(THREE, 1, 2, 3);

    float[] copy = narrow.toFloatArray();
    copy[0] = 99;

    assertEquals(1, narrow.getFlat(0));
  }

  @Test
  void toFloatArrayOfAFloat64TensorNamesTheConversion() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2, 3).toFloatArray());

    assertEquals(
        "toFloatArray: tensor of shape [2, 3] is float64; convert it with to(DType.FLOAT32) first",
        e.getMessage());
  }

  // Equality and printing.

  @Test
  void equalValuesOfTwoDTypesAreNotEqualTensors() {
    Tensor wide = Tensor.vector(1, 2, 3);
    Tensor narrow = Tensor.ofFloats(THREE, 1, 2, 3);

    assertNotEquals(wide, narrow);
    assertNotEquals(narrow, wide);
    assertEquals(narrow, wide.to(FLOAT32));
    assertEquals(narrow.hashCode(), wide.to(FLOAT32).hashCode());
    assertEquals(wide, narrow.to(FLOAT64));
    assertEquals(wide.hashCode(), narrow.to(FLOAT64).hashCode());
  }

  @Test
  void aFloat32TensorSaysSoAfterItsShape() {
    Tensor small = Tensor.ofFloats(Shape.of(2, 2), 1, 2.5f, -3, 0.1f);
    Tensor large = Tensor.zeros(Shape.of(100), FLOAT32);

    assertEquals("Tensor[2, 2] float32 [[1, 2.5], [-3, 0.1]]", small.toString());
    assertEquals("Tensor[100] float32 [0, 0, 0, 0, 0, 0, 0, 0, ...]", large.toString());
    assertEquals("Tensor[2] [1, 2]", Tensor.vector(1, 2).toString());
  }

  // Names.

  @ParameterizedTest
  @ValueSource(strings = {"float32", "f32", "float", "FLOAT32", " Float32 "})
  void float32ParsesUnderItsNames(String name) {
    assertEquals(FLOAT32, DType.parse(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"float64", "f64", "double", "Double"})
  void float64ParsesUnderItsNames(String name) {
    assertEquals(FLOAT64, DType.parse(name));
  }

  @Test
  void anUnknownNameListsTheAcceptedOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DType.parse("half"));

    assertEquals(
        "dtype: 'half' is not float64 (f64, double) or float32 (f32, float)", e.getMessage());
  }

  @Test
  void aDTypePrintsAsPyTorchNamesIt() {
    assertEquals("float32", FLOAT32.toString());
    assertEquals("float64", FLOAT64.toString());
    assertEquals(4, FLOAT32.bytes());
    assertEquals(8, FLOAT64.bytes());
  }

  // Mixed dtypes.

  @Test
  void aKernelGivenTwoDTypesNamesItselfAndBothInOrder() {
    Tensor wide = Tensor.ones(2, 2);
    Tensor narrow = Tensor.ones(2, 2).to(FLOAT32);

    assertMixed("add: float64 and float32", () -> Pointwise.add(wide, narrow));
    assertMixed("add: float32 and float64", () -> Pointwise.add(narrow, wide));
    assertMixed("matmul: float32 and float64", () -> MatMul.matmul(narrow, wide));
    assertMixed("matmul: float64 and float32", () -> MatMul.matmul(wide, narrow, true, false));
  }

  @Test
  void aFloat32GradientSumRefusesAFloat64Gradient() {
    GradientSum sum = new GradientSum(THREE, FLOAT32);
    sum.add(Tensor.ofFloats(THREE, 1, 2, 3));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sum.add(Tensor.vector(1, 1, 1)));

    assertEquals(
        "gradient sum: a float64 gradient of shape [3] for a float32 value", e.getMessage());
    assertEquals(Tensor.ofFloats(THREE, 1, 2, 3), sum.result());
  }

  @Test
  void aFloat64GradientSumRefusesAFloat32Gradient() {
    GradientSum sum = new GradientSum(THREE);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> sum.add(Tensor.ofFloats(THREE, 1, 2, 3)));

    assertEquals(
        "gradient sum: a float32 gradient of shape [3] for a float64 value", e.getMessage());
    assertTrue(sum.isEmpty());
  }

  @Test
  void aGradientSumRefusesAProductOrASliceOfTheOtherDType() {
    GradientSum wide = new GradientSum(Shape.of(2, 2));
    GradientSum narrow = new GradientSum(Shape.of(2, 2), FLOAT32);
    Tensor ones = Tensor.ones(2, 2);

    assertThrows(
        IllegalArgumentException.class,
        () -> wide.addProduct(ones, ones.to(FLOAT32), false, false));
    assertThrows(IllegalArgumentException.class, () -> narrow.addProduct(ones, ones, false, false));
    assertThrows(
        IllegalArgumentException.class, () -> wide.addSlice(Tensor.ones(1, 2).to(FLOAT32), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> narrow.addSlice(Tensor.ones(1, 2), 0, 1));
  }

  @Test
  void aFloat32GradientSumAddsInFloat32() {
    GradientSum sum = new GradientSum(THREE, FLOAT32);
    Tensor gradient = Tensor.ofFloats(THREE, 0.1f, 1, 1e8f);

    sum.add(gradient);
    sum.add(gradient);
    sum.addSlice(Tensor.ofFloats(Shape.of(1), 1), 0, 2);

    // 1e8 + 1e8 + 1 rounds to 2e8 in float32, whose spacing there is 16.
    assertEquals(Tensor.ofFloats(THREE, 0.2f, 2, 2e8f), sum.result());
  }

  private static void assertMixed(String start, Supplier<Tensor> call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
    assertEquals(start + " operands; convert one explicitly with to(DType)", e.getMessage());
  }
}

/**
 * Gradient checking, a user feature: {@link dev.rewind.autodiff.check.GradCheck} compares the
 * tape's gradients with central finite differences (first and second order, element by element or
 * in one random direction, and vector-Jacobian products) and with gradients derived by hand, over
 * positional inputs, named inputs ({@link dev.rewind.autodiff.check.NamedGradCheck}) or the
 * parameters a loss reads itself ({@link dev.rewind.autodiff.check.ParameterGradCheck}); {@link
 * dev.rewind.autodiff.check.TensorArbitraries} generates well-conditioned inputs for jqwik property
 * tests.
 */
@CheckReturnValue
package dev.rewind.autodiff.check;

import com.google.errorprone.annotations.CheckReturnValue;

/**
 * Element-wise ops: arithmetic with NumPy broadcasting, activation functions, clamp, where,
 * dropout.
 */
@CheckReturnValue
package dev.rewind.autodiff.ops.elementwise;

import com.google.errorprone.annotations.CheckReturnValue;

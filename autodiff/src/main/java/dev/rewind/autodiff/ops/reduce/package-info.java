/**
 * Reductions: sums over all elements or an axis, broadcasting and its reverse, softmax and
 * log-softmax.
 */
@CheckReturnValue
package dev.rewind.autodiff.ops.reduce;

import com.google.errorprone.annotations.CheckReturnValue;

/**
 * Reductions: sums over all elements or an axis, broadcasting and its reverse, softmax and
 * log-softmax, and the log-probability of one class per row that cross-entropy takes.
 */
@CheckReturnValue
package dev.rewind.autodiff.ops.reduce;

import com.google.errorprone.annotations.CheckReturnValue;

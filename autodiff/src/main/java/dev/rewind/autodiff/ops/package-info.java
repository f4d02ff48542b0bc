/**
 * The differentiable ops, one small class each, grouped by kind: {@code elementwise}, {@code
 * reduce}, {@code linalg}, {@code shape}, and {@code rnn} for the fused gate blocks of the standard
 * cells. Users apply them through {@link dev.rewind.autodiff.tape.Var}; a new op extends {@link
 * dev.rewind.autodiff.tape.Op}.
 */
@CheckReturnValue
package dev.rewind.autodiff.ops;

import com.google.errorprone.annotations.CheckReturnValue;

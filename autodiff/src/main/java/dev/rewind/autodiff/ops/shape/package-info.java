/**
 * Ops that move elements: reshape, concat (and stack, composed of both), slice and pad, gather and
 * scatter-add, masked select.
 */
@CheckReturnValue
package dev.rewind.autodiff.ops.shape;

import com.google.errorprone.annotations.CheckReturnValue;

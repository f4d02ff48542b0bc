/**
 * Losses built from autodiff ops, for the outputs of recurrent networks.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.loss.Losses} — softmax cross-entropy on logits (fused and stable),
 *       mean squared error, binary cross-entropy on logits; for {@code [N, C]} rows or {@code [B,
 *       T, C]} sequences, each with an optional mask of padded steps.
 *   <li>{@link dev.rewind.layers.loss.Reduction} — none, sum or mean over the unmasked elements.
 * </ol>
 *
 * <p>No loss defines a backward: its gradient (for cross-entropy, note 000's {@code softmax −
 * onehot}) comes from the tape. Losses return new values and modify nothing.
 */
@CheckReturnValue
package dev.rewind.layers.loss;

import com.google.errorprone.annotations.CheckReturnValue;

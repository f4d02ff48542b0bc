/**
 * Batching sequences of different lengths: padding and masks.
 *
 * <ol>
 *   <li>{@link dev.rewind.datasets.batch.Padding} — sequences of different lengths to one padded
 *       tensor, a mask and the lengths.
 *   <li>{@link dev.rewind.datasets.batch.PaddedSequences} — what padding returns.
 *   <li>{@link dev.rewind.datasets.batch.Masks} — masks from lengths, and lengths from masks.
 * </ol>
 *
 * <p>Padding goes at the end of each sequence and holds zeros; the mask has a 1 for each real step
 * and a 0 for each padded one, so a loss or an unrolled network can skip the padding.
 */
@CheckReturnValue
package dev.rewind.datasets.batch;

import com.google.errorprone.annotations.CheckReturnValue;

/**
 * The input/output scenarios of the notes, built on {@link dev.rewind.layers.Recurrent} and any
 * {@link dev.rewind.layers.RecurrentCell}. Truncated BPTT is an option of the training loop, {@code
 * dev.rewind.train.Trainer}.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.seq.ManyToMany} — a readout at every step (tagging, language
 *       models).
 *   <li>{@link dev.rewind.layers.seq.ManyToOne} — the readout of each sequence's last real step
 *       (sentiment).
 *   <li>{@link dev.rewind.layers.seq.OneToMany} — one input, then each output fed back (captioning,
 *       generation).
 *   <li>{@link dev.rewind.layers.seq.EncoderDecoder} — an encoder's final state starts a decoder of
 *       another length (translation), with teacher forcing or feedback.
 *   <li>{@link dev.rewind.layers.seq.Bidirectional} — a forward and a reverse cell, outputs joined
 *       per step.
 * </ol>
 *
 * <p>Every scenario takes a mask {@code [batch, time]} of 1 (real step) and 0 (padding): a padded
 * step leaves the state unchanged and outputs 0, so each sequence of a batch gets the gradients it
 * would get alone. Nothing here defines a backward pass; gradients come from the tape. The
 * scenarios that unroll a given sequence ({@code ManyToMany}, {@code ManyToOne}, {@code
 * Bidirectional}, {@code EncoderDecoder}) have {@code checkpointed(k)} and {@code checkpointed()}:
 * the same scenario with checkpointed BPTT ({@link dev.rewind.layers.Recurrent#checkpointed}), the
 * same gradients to the bit.
 */
@CheckReturnValue
package dev.rewind.layers.seq;

import com.google.errorprone.annotations.CheckReturnValue;

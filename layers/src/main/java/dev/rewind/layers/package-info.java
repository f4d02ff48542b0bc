/**
 * Recurrent networks built from autodiff ops.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.Layer} — named parameters in a stable order; training or
 *       evaluation mode.
 *   <li>{@link dev.rewind.layers.RecurrentCell} — one time step; {@link
 *       dev.rewind.layers.RecurrentState} what it carries.
 *   <li>{@link dev.rewind.layers.Recurrent} — unrolls a cell over {@code [batch, time, features]},
 *       with masks for variable lengths.
 *   <li>{@link dev.rewind.layers.StackedCell} — cells in depth, with optional dropout between
 *       layers; {@link dev.rewind.layers.VariationalDropout} — one dropout mask per sequence around
 *       any cell.
 *   <li>{@link dev.rewind.layers.Linear}, {@link dev.rewind.layers.Embedding} — the feed-forward
 *       pieces.
 *   <li>{@link dev.rewind.layers.CellChecks} — the input and state checks a cell makes at each
 *       step, with messages that name both shapes.
 * </ol>
 *
 * <p>No class here defines a backward pass: every gradient comes from the tape.
 */
@CheckReturnValue
package dev.rewind.layers;

import com.google.errorprone.annotations.CheckReturnValue;

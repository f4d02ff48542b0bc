/**
 * Recurrences with several time scales (lecture note 002).
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.leaky.LeakyCell} — leaky units {@code h(t) = α ⊙ h(t−1) + (1 − α)
 *       ⊙ F}, α per unit, fixed or learned.
 *   <li>{@link dev.rewind.layers.leaky.SkipCell} — a skip connection through time from h(t−d); its
 *       state {@link dev.rewind.layers.leaky.SkipState} keeps the last d hidden vectors.
 * </ol>
 *
 * <p>Both cells are compositions of autodiff ops: their BPTT comes from the tape.
 */
@CheckReturnValue
package dev.rewind.layers.leaky;

import com.google.errorprone.annotations.CheckReturnValue;

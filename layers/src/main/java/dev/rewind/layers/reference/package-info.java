/**
 * Backpropagation through time derived by hand, as the notes derive it, and computed directly with
 * tensor kernels — the references the tape's gradients are checked against, and worked forms of the
 * equations for readers comparing their own derivations.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.reference.ElmanBptt} — note 000's equations (A)–(E) and the
 *       gradients for U, V, W, b, c of the Elman net, for softmax outputs with cross-entropy and
 *       for linear outputs with squared error.
 *   <li>{@link dev.rewind.layers.reference.ScalarLinearRnn} — note 003's one-unit linear RNN on the
 *       8-bit sum, with the closed-form gradients (22) and (26).
 * </ol>
 *
 * <p>Nothing here is recorded on a tape.
 */
@CheckReturnValue
package dev.rewind.layers.reference;

import com.google.errorprone.annotations.CheckReturnValue;

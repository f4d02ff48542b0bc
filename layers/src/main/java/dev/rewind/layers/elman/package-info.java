/**
 * The networks of note 000 and the vanilla cell of note 001, each a composition of autodiff ops
 * whose BPTT comes from the tape.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.elman.ElmanCell} — hidden recurrence, {@code H(t) = φ(X(t) U +
 *       H(t−1) W + b)}, with an optional output layer {@code Y(t) = σ(H(t) V + c)}.
 *   <li>{@link dev.rewind.layers.elman.ConcatenatedElmanCell} — note 001's {@code h_t = tanh(W
 *       [x_t; h_{t−1}])}: the same function with one matrix.
 *   <li>{@link dev.rewind.layers.elman.JordanCell} — top-down recurrence: the previous output is
 *       fed back, {@code H(t) = φ(X(t) U + Y(t−1) W + b)}.
 *   <li>{@link dev.rewind.layers.elman.DeepElmanCell}, {@link
 *       dev.rewind.layers.elman.DeepJordanCell} — the deep versions, built from {@link
 *       dev.rewind.layers.elman.HiddenLayer} and {@link dev.rewind.layers.elman.OutputLayer}.
 * </ol>
 *
 * <p>Weights are stored {@code [in, out]} and inputs are rows, as in the notes' batch form, so the
 * notes' {@code Uᵀ x(t)} is {@code X(t) U} here. Parameters keep the notes' names ({@code U},
 * {@code W}, {@code b}, {@code V}, {@code c}), by which {@code namedParameters()} lists them and
 * {@code GradCheck.ofParameters} checks the gradients with respect to them.
 */
@CheckReturnValue
package dev.rewind.layers.elman;

import com.google.errorprone.annotations.CheckReturnValue;

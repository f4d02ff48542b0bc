/**
 * Generating sequences from a model that predicts the next token: pick a token from its logits,
 * feed it back, repeat.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.sample.TokenModel} — a model read one token per step; its {@code
 *       generate} reads a prime and samples what follows.
 *   <li>{@link dev.rewind.layers.sample.Sampler} — greedy, temperature or top-k: how each next
 *       token is picked from the logits.
 *   <li>{@link dev.rewind.layers.sample.Categorical} — the pieces: probabilities at a temperature,
 *       the argmax, a draw by inverting the cumulative distribution.
 * </ol>
 *
 * <p>All randomness comes from the {@code java.util.Random} passed in, one number per sampled
 * token, so the same seed gives the same tokens.
 */
@CheckReturnValue
package dev.rewind.layers.sample;

import com.google.errorprone.annotations.CheckReturnValue;

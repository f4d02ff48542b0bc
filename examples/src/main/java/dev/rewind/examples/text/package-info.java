/**
 * Character language models, note 000's "hello" network grown to any text: read a character,
 * predict the next, generate by sampling and feeding each sample back.
 *
 * <ol>
 *   <li>{@link dev.rewind.examples.text.CharModel} — one-hot or embedded input, an LSTM, GRU or
 *       Elman cell ({@link dev.rewind.examples.text.CellType}), a linear readout over the
 *       vocabulary; a {@link dev.rewind.layers.sample.TokenModel}, so it generates text with a
 *       {@link dev.rewind.layers.sample.Sampler}.
 *   <li>{@link dev.rewind.examples.text.CharTrainer} — truncated BPTT over contiguous streams:
 *       softmax cross-entropy, Adam, global-norm clipping, the state carried and detached between
 *       windows; its validation loss. *
 *   <li>{@link dev.rewind.examples.text.CharCheckpoint} — parameters and vocabulary on disk.
 *   <li>{@link dev.rewind.examples.text.LearningCurve} — the losses of a run, and their plot.
 *   <li>{@link dev.rewind.examples.text.Baselines} — the losses of guesses that read nothing, to
 *       compare a model with.
 * </ol>
 */
@CheckReturnValue
package dev.rewind.examples.text;

import com.google.errorprone.annotations.CheckReturnValue;

/**
 * Text for character models: a corpus from any UTF-8 file, its vocabulary, and batches for language
 * modelling.
 *
 * <ol>
 *   <li>{@link dev.rewind.datasets.text.Corpus} — the characters (Unicode code points) of a text,
 *       read with strict UTF-8 decoding; a contiguous train/validation {@link
 *       dev.rewind.datasets.text.Corpus#split split}.
 *   <li>{@link dev.rewind.datasets.text.CorpusSplit} — the two parts of a split.
 *   <li>{@link dev.rewind.datasets.text.Vocabulary} — the symbols, each with an index: encode,
 *       decode, one-hot, save and load as text, and the check a resumed run makes.
 *   <li>{@link dev.rewind.datasets.text.LanguageModelStreams} — the corpus as {@code batch}
 *       contiguous streams cut into windows, so that the state at the end of window k is the right
 *       start for window k + 1; targets are the inputs shifted by one.
 *   <li>{@link dev.rewind.datasets.text.TokenBatch} — one window as indices, for an embedding.
 *   <li>{@link dev.rewind.datasets.text.DefaultCorpus} — the built-in text, generated from a small
 *       grammar with a fixed seed: the same on every machine, for runs given no file.
 * </ol>
 *
 * <p>A character here is a code point, so text outside the Basic Multilingual Plane (emoji, for
 * one) counts one character per symbol. Errors are {@link dev.rewind.datasets.DatasetException}s
 * whose message starts with the file or corpus name and gives the numbers involved.
 */
@CheckReturnValue
package dev.rewind.datasets.text;

import com.google.errorprone.annotations.CheckReturnValue;

/**
 * Data for recurrent networks: the sequence tasks of the lecture notes, classic long-range
 * benchmarks, text corpora, and the batches they produce.
 *
 * <ol>
 *   <li>{@link dev.rewind.datasets.Task} — a seeded generator of batches; every generated task
 *       implements it.
 *   <li>{@link dev.rewind.datasets.SequenceBatch} — inputs {@code [batch, time, features]} with
 *       real-valued targets and a mask.
 *   <li>{@link dev.rewind.datasets.ClassBatch} — inputs with class-index targets and a mask.
 *   <li>{@link dev.rewind.datasets.Indices} — an immutable {@code [batch, time]} grid of class or
 *       token indices.
 *   <li>{@link dev.rewind.datasets.OneHot} — indices to one-hot tensors.
 *   <li>{@link dev.rewind.datasets.DatasetException} — bad data: a file, a window, a vocabulary.
 * </ol>
 *
 * <p>Sub-packages: {@code tasks} (the notes' tasks), {@code benchmarks} (adding problem, copy task,
 * embedded Reber grammar, sine waves), {@code text} (corpora, vocabularies, language-model
 * batches), {@code batch} (padding and masks).
 *
 * <p>Masks are {@code [batch, time]} tensors of 0 and 1: a 1 marks a real step, a 0 a padded one.
 * Everything here is an immutable value; the same seed always gives the same data.
 */
@CheckReturnValue
package dev.rewind.datasets;

import com.google.errorprone.annotations.CheckReturnValue;

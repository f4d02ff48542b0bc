/**
 * The sequence tasks of the lecture notes, each a seeded generator.
 *
 * <ol>
 *   <li>{@link dev.rewind.datasets.tasks.Hello} — note 000's character model: "hell" in, "ello"
 *       out, over the vocabulary [h, e, l, o].
 *   <li>{@link dev.rewind.datasets.tasks.Parity} — note 001: after each bit, is the count of 1s so
 *       far even?
 *   <li>{@link dev.rewind.datasets.tasks.XorSequence} — note 003: the bit stream 000 011 101 110 …
 *       of XOR triples, for next-bit prediction.
 *   <li>{@link dev.rewind.datasets.tasks.BitSum} — note 003: eight bits in, their sum out.
 *   <li>{@link dev.rewind.datasets.tasks.RandomClassification} — note 000's Example 3: random
 *       8-dimensional inputs, 16 sequences of 64 steps, a random class in {0, 1, 2} at each step.
 * </ol>
 *
 * <p>Bits are encoded as one input feature holding 0 or 1; a bit target is a 0 or 1 for a binary
 * cross-entropy. Every random task implements {@link dev.rewind.datasets.Task}.
 */
@CheckReturnValue
package dev.rewind.datasets.tasks;

import com.google.errorprone.annotations.CheckReturnValue;

/**
 * Classic long-range benchmarks for recurrent networks, each with a length parameter, since the
 * distance a dependency spans is their point.
 *
 * <ol>
 *   <li>{@link dev.rewind.datasets.benchmarks.AddingProblem} — add the two values marked among
 *       {@code length} (Hochreiter &amp; Schmidhuber 1997).
 *   <li>{@link dev.rewind.datasets.benchmarks.CopyTask} — reproduce a few symbols after a long
 *       delay of blanks (Hochreiter &amp; Schmidhuber 1997; Arjovsky et al. 2016's form).
 *   <li>{@link dev.rewind.datasets.benchmarks.EmbeddedReber} — predict the valid next symbols of
 *       strings of the embedded Reber grammar, whose second symbol must be repeated at the end.
 *   <li>{@link dev.rewind.datasets.benchmarks.Reber} — the Reber grammar and its embedded form.
 *   <li>{@link dev.rewind.datasets.benchmarks.Grammar} — a deterministic finite-state grammar:
 *       accepts strings, lists valid next symbols, samples strings within length bounds.
 *   <li>{@link dev.rewind.datasets.benchmarks.SineWave} — predict the next sample of a sine of
 *       random frequency and phase.
 * </ol>
 */
@CheckReturnValue
package dev.rewind.datasets.benchmarks;

import com.google.errorprone.annotations.CheckReturnValue;

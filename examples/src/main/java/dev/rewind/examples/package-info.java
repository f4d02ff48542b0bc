/**
 * The tutorials: one runnable worked example per example of the notes.
 *
 * <ol>
 *   <li>{@link dev.rewind.examples.Tutorial} — what a tutorial is; {@link
 *       dev.rewind.examples.Tutorials} lists them all.
 *   <li>{@link dev.rewind.examples.TutorialRun} — how a tutorial reports: words, JSON results,
 *       plots.
 *   <li>{@link dev.rewind.examples.Plots} — PNG line and scatter plots.
 *   <li>{@code cli} — the {@code rewind} command line.
 * </ol>
 */
@CheckReturnValue
package dev.rewind.examples;

import com.google.errorprone.annotations.CheckReturnValue;

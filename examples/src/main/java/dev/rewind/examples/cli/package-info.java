/** The {@code rewind} command line: {@code list}, {@code run}, {@code train-text}. */
@CheckReturnValue
package dev.rewind.examples.cli;

import com.google.errorprone.annotations.CheckReturnValue;

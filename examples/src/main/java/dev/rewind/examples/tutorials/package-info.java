/** One class per tutorial; each says in its Javadoc which note and which example it reproduces. */
@CheckReturnValue
package dev.rewind.examples.tutorials;

import com.google.errorprone.annotations.CheckReturnValue;

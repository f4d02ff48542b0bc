/** Seeded weight initialisers: PyTorch's RNN default, Glorot, orthogonal. */
@CheckReturnValue
package dev.rewind.layers.init;

import com.google.errorprone.annotations.CheckReturnValue;

/** Linear algebra: the matrix product (2-D and batched) and transposition. */
@CheckReturnValue
package dev.rewind.autodiff.ops.linalg;

import com.google.errorprone.annotations.CheckReturnValue;

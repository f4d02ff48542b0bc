/**
 * Tensor files: the one place that reads and writes them.
 *
 * <ol>
 *   <li>{@link dev.rewind.autodiff.io.Safetensors} — reads and writes (atomically) the safetensors
 *       format, each tensor in its dtype (F64 for float64, F32 for float32), validating every
 *       offset of a file it reads; {@link dev.rewind.autodiff.io.Safetensors#readHeader} reads only
 *       the names, dtypes and shapes, so that a caller can compare them with what it expects before
 *       any data is allocated.
 *   <li>{@link dev.rewind.autodiff.io.AtomicWrite} — replaces a file so that a crash leaves the old
 *       one or the new one, whole; every file the library writes goes through it.
 * </ol>
 */
@CheckReturnValue
package dev.rewind.autodiff.io;

import com.google.errorprone.annotations.CheckReturnValue;

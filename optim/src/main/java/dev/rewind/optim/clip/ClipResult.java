package dev.rewind.optim.clip;

import dev.rewind.optim.ParameterGradients;

/**
 * What a {@link GradientClipper} returns: the clipped gradients, and the norm it measured before
 * clipping.
 *
 * @param gradients the gradients after clipping; those that needed no clipping are the same tensors
 *     as before
 * @param norm the quantity the clipper compares with its threshold, measured before clipping: the
 *     global norm, the largest per-tensor norm, or the largest absolute element
 * @param clipped whether some gradient changed: for the exact clippers, whether {@code norm}
 *     exceeded the threshold; for {@link TorchClipGradNorm}, whether its coefficient was not 1; for
 *     {@link TorchClipGradValue}, whether an element was outside the limit
 */
public record ClipResult(ParameterGradients gradients, double norm, boolean clipped) {}

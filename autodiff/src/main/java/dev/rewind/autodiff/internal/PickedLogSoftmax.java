package dev.rewind.autodiff.internal;

import dev.rewind.autodiff.tensor.Tensor;

/** The picked log-probabilities {@code [N]} and the softmax {@code [N, C]} they came from. */
public record PickedLogSoftmax(Tensor picked, Tensor probabilities) {}

package dev.rewind.autodiff.tensor;

/** A log-softmax and the softmax, {@code e^} of it, computed together. */
public record SoftmaxPair(Tensor logProbabilities, Tensor probabilities) {}

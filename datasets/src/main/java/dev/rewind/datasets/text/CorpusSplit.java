package dev.rewind.datasets.text;

/**
 * A corpus cut in two contiguous parts: training text first, validation text after it.
 *
 * @param training the first part, named {@code "<name> (training)"}
 * @param validation the rest, named {@code "<name> (validation)"}
 */
public record CorpusSplit(Corpus training, Corpus validation) {}

package dev.rewind.spark;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.Layer;
import java.io.Serializable;
import java.util.List;

/**
 * The loss of a model on some training sequences: the mean over them of each one's loss, a scalar
 * on the tape. Spark ships it to the executors, so it must be serializable (a lambda assigned to
 * this type is) and hold nothing but settings.
 *
 * @param <T> a training sequence
 */
@FunctionalInterface
public interface SequenceLoss<T> extends Serializable {
  /** The mean loss of {@code model} over {@code sequences} (never empty), recorded on the tape. */
  Var loss(Layer model, List<T> sequences);
}

package dev.rewind.spark;

import dev.rewind.layers.Layer;
import java.io.Serializable;

/**
 * Builds the model an executor computes with: the same architecture as the driver's model, its
 * parameters of the same names and shapes (their values are replaced by the driver's). Spark ships
 * it to the executors, so it must be serializable (a lambda assigned to this type is).
 */
@FunctionalInterface
public interface LayerFactory extends Serializable {
  Layer create();
}

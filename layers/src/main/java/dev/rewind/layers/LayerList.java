package dev.rewind.layers;

import java.util.List;

/**
 * Layers held in order and named by position ({@code 0}, {@code 1}, …), as PyTorch's {@code
 * nn.ModuleList}.
 */
public final class LayerList extends Layer {

  public LayerList(List<? extends Layer> layers) {
    for (int i = 0; i < layers.size(); i++) {
      child(String.valueOf(i), layers.get(i));
    }
  }
}

package dev.rewind.layers;

import java.util.List;

/**
 * Modules held in order and named by position ({@code 0}, {@code 1}, …), as PyTorch's {@code
 * nn.ModuleList}.
 */
public final class ModuleList extends Module {

  public ModuleList(List<? extends Module> modules) {
    for (int i = 0; i < modules.size(); i++) {
      child(String.valueOf(i), modules.get(i));
    }
  }
}

package dev.rewind.bench;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The cells of W5 as a user writes them: {@link RecurrentCell#of} over generic ops, closing over
 * {@link Parameter}s initialised as PyTorch does (uniform in ±1/√hidden). They measure what a cell
 * the library does not ship costs, next to the library's fused cells.
 */
final class UserCells {
  private UserCells() {}

  /** A cell and the parameters it closes over, by name. */
  record Trainable(RecurrentCell<?> cell, Map<String, Parameter> parameters) {
    /**
     * Converts every parameter to {@code dtype} in place: for a cell written with {@link
     * RecurrentCell#of}, which is not a layer, what {@code Layer.to} does for one.
     */
    void convertTo(DType dtype) {
      parameters.values().forEach(p -> p.convertTo(dtype));
    }
  }

  static Trainable named(String name, int inputs, int hidden, Random random) {
    return switch (name) {
      case "gru" -> gru(inputs, hidden, random);
      case "mgu" -> mgu(inputs, hidden, random);
      default -> throw new IllegalArgumentException("unknown user cell " + name + "; gru or mgu");
    };
  }

  /**
   * PyTorch's GRU, reset gate after the recurrent product: {@code r = σ(x W_ir + b_ir + h W_hr +
   * b_hr)}, {@code z} alike, {@code n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))}, {@code h' = (1
   * − z) ⊙ n + z ⊙ h}; the three gates' weights side by side in one matrix per input.
   */
  static Trainable gru(int inputs, int hidden, Random random) {
    Map<String, Parameter> p = new LinkedHashMap<>();
    Var wIh = parameter(p, "weightIh", Shape.of(inputs, 3 * hidden), hidden, random);
    Var wHh = parameter(p, "weightHh", Shape.of(hidden, 3 * hidden), hidden, random);
    Var bIh = parameter(p, "biasIh", Shape.of(3 * hidden), hidden, random);
    Var bHh = parameter(p, "biasHh", Shape.of(3 * hidden), hidden, random);
    RecurrentCell<HiddenState> cell =
        RecurrentCell.of(
            inputs,
            hidden,
            (x, h) -> {
              List<Var> gx = x.affine(wIh, bIh).split(1, hidden, hidden, hidden);
              List<Var> gh = h.affine(wHh, bHh).split(1, hidden, hidden, hidden);
              Var r = gx.get(0).add(gh.get(0)).sigmoid();
              Var z = gx.get(1).add(gh.get(1)).sigmoid();
              Var n = gx.get(2).add(r.mul(gh.get(2))).tanh();
              return n.add(z.mul(h.sub(n))); // (1 − z) ⊙ n + z ⊙ h
            });
    return new Trainable(cell, p);
  }

  /**
   * The minimal gated unit (Zhou et al., 2016), as the README writes it: {@code f = σ(x W_f + h U_f
   * + b_f)}, {@code h̃ = tanh(x W_h + (f ⊙ h) U_h + b_h)}, {@code h' = (1 − f) ⊙ h + f ⊙ h̃}.
   */
  static Trainable mgu(int inputs, int hidden, Random random) {
    Map<String, Parameter> p = new LinkedHashMap<>();
    Var wf = parameter(p, "Wf", Shape.of(inputs, hidden), hidden, random);
    Var uf = parameter(p, "Uf", Shape.of(hidden, hidden), hidden, random);
    Var bf = parameter(p, "bf", Shape.of(hidden), hidden, random);
    Var wh = parameter(p, "Wh", Shape.of(inputs, hidden), hidden, random);
    Var uh = parameter(p, "Uh", Shape.of(hidden, hidden), hidden, random);
    Var bh = parameter(p, "bh", Shape.of(hidden), hidden, random);
    RecurrentCell<HiddenState> cell =
        RecurrentCell.of(
            inputs,
            hidden,
            (x, h) -> {
              Var f = x.matmul(wf).add(h.matmul(uf)).add(bf).sigmoid();
              Var candidate = x.matmul(wh).add(f.mul(h).matmul(uh)).add(bh).tanh();
              return h.add(f.mul(candidate.sub(h))); // (1 − f) ⊙ h + f ⊙ h̃
            });
    return new Trainable(cell, p);
  }

  private static Parameter parameter(
      Map<String, Parameter> parameters, String name, Shape shape, int hidden, Random random) {
    Parameter p = new Parameter(name, Initializers.uniformRecurrent(shape, hidden, random));
    parameters.put(name, p);
    return p;
  }
}

package dev.rewind.autodiff.ops.rnn;

import dev.rewind.autodiff.tape.Var;
import java.util.List;

/**
 * The standard recurrent cells' steps and gate blocks, one fused op each: the facade of this
 * package, as {@link Var} is of the other ops packages.
 */
public final class FusedSteps {
  private FusedSteps() {}

  /**
   * PyTorch's LSTM gate block: the next state {@code h'} and memory {@code c'} ({@code [B, H]}
   * each, in that order), from the pre-activations {@code a [B, 4H]} (blocks i, f, g, o, biases
   * included) and the memory {@code c [B, H]}, as one op with two outputs; see {@link LstmGates}.
   */
  public static List<Var> lstmGates(Var a, Var c) {
    return new LstmGates().applyAll(a, c);
  }

  /**
   * PyTorch's GRU gate block, {@code h'} ({@code [B, H]}), from {@code ax = x W_ih + b_ih} and
   * {@code ah = h W_hh + b_hh} ({@code [B, 3H]}, blocks r, z, n) and the state {@code h [B, H]};
   * see {@link GruGates}.
   */
  public static Var gruGates(Var ax, Var ah, Var h) {
    return new GruGates().apply(ax, ah, h);
  }

  /**
   * {@link #gruGates} of step {@code t} of the input's projection {@code axs [B, T, 3H]}, read in
   * place: the numbers of {@code gruGates(axs.select(1, t), ah, h)}.
   */
  public static Var gruGates(Var axs, int t, Var ah, Var h) {
    return new GruGates(t).apply(axs, ah, h);
  }

  /**
   * One step of an Elman network with tanh, {@code tanh(h W + (x U + b))}, as one op that keeps
   * only its output; see {@link RnnTanhCell}.
   */
  public static Var rnnTanhCell(Var x, Var h, Var u, Var w, Var b) {
    return new RnnTanhCell().apply(x, h, u, w, b);
  }

  /**
   * {@link #rnnTanhCell} of step {@code t} of a sequence {@code xs [B, T, in]}, read in place: the
   * numbers of {@code rnnTanhCell(xs.select(1, t), h, u, w, b)}.
   */
  public static Var rnnTanhCell(Var xs, int t, Var h, Var u, Var w, Var b) {
    return new RnnTanhCell(t).apply(xs, h, u, w, b);
  }

  /**
   * The affine part of a recurrent step, {@code h W + (x U + b)} ({@code [B, G]} for {@code U [in,
   * G]}, {@code W [H, G]}), as one op; see {@link RecurrentAffine}.
   */
  public static Var recurrentAffine(Var x, Var h, Var u, Var w, Var b) {
    return new RecurrentAffine().apply(x, h, u, w, b);
  }

  /**
   * {@link #recurrentAffine} of step {@code t} of a sequence {@code xs [B, T, in]}, read in place:
   * the numbers of {@code recurrentAffine(xs.select(1, t), h, u, w, b)}.
   */
  public static Var recurrentAffine(Var xs, int t, Var h, Var u, Var w, Var b) {
    return new RecurrentAffine(t).apply(xs, h, u, w, b);
  }
}

package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.rewind.autodiff.tensor.DType.isFloat32;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The gate blocks of the LSTM and GRU cells, forward and backward, fused: one new output per step,
 * where the same formulas written with element-wise kernels take about a dozen passes and as many
 * tensors. Gate blocks are {@code H} columns each, in PyTorch's order.
 *
 * <p>The forward kernels apply the activations a block of a row at a time through the whole-array
 * functions of {@link ElementaryFunctions} (the same bits as the scalar ones the element-wise
 * kernels use, and multiplied and added in the same order, so the two give the same numbers), and
 * return them with the output: the backward kernels then take no exponential at all. Values that
 * die inside a kernel live in {@link Scratch} arrays.
 *
 * <p>Large batches are computed in chunks of rows on the {@link ComputePool}'s threads; each row's
 * numbers are the same whichever chunk and thread compute it.
 */
public final class GateKernels {
  /**
   * Hidden units a chunk of a forward gate kernel computes at least (about 17 ns each for the LSTM,
   * measured): a batch of fewer than twice as many stays on the calling thread.
   */
  static final long FORWARD_UNITS_PER_CHUNK = 8192;

  /** As {@link #FORWARD_UNITS_PER_CHUNK} for the backward kernels, which take about 5 ns a unit. */
  static final long BACKWARD_UNITS_PER_CHUNK = 32768;

  private GateKernels() {}

  /**
   * One step of an Elman network with tanh, {@code tanh(h W + (x U + b))} for {@code x [B, in]},
   * {@code h [B, H]}, {@code U [in, H]}, {@code W [H, H]} and {@code b [H]}: the numbers of {@code
   * tanh(affine(h, W, affine(x, U, b)))}, with the two sums in scratch arrays, so that a step
   * allocates only its output. {@code xNonZeros} is x's {@link SparseLeft}, which the backward pass
   * reuses for U's gradient, or null for a dense x; x is read only then, and may be null otherwise.
   */
  public static Tensor rnnTanh(
      Tensor x, SparseLeft xNonZeros, Tensor h, Tensor u, Tensor w, Tensor b) {
    // The float32 kernels find their own non-zeros: SparseLeft.of has none for a float32 tensor.
    if (isFloat32("rnnTanh", x, h, u, w, b))
      return GateKernels32.rnnTanh(x, null, h, u, w, b); // dtype dispatch
    Shape shape = h.shape();
    double[] preActivation = Scratch.zeros(1, shape.size());
    recurrentAffineInto(x, xNonZeros, h, u, w, b, preActivation);
    double[] out = Buffers.doublesToOverwrite(shape.size());
    ElementaryFunctions.tanh(preActivation, out, 0, out.length);
    return TensorArrays.wrap(shape, out);
  }

  /**
   * {@code h W + (x U + b)} for {@code x [B, in]}, {@code h [B, H]}, {@code U [in, G]}, {@code W
   * [H, G]} and {@code b [G]}: the numbers of {@code affine(h, W, affine(x, U, b))}, with the inner
   * sum in a scratch array. {@code xNonZeros} is as for {@link #rnnTanh}.
   */
  public static Tensor recurrentAffine(
      Tensor x, SparseLeft xNonZeros, Tensor h, Tensor u, Tensor w, Tensor b) {
    if (isFloat32("recurrentAffine", x, h, u, w, b))
      return GateKernels32.recurrentAffine(x, null, h, u, w, b); // dtype dispatch
    Shape shape = Shape.of(h.shape().dim(0), w.shape().dim(1));
    double[] out = Buffers.doubles(shape.size());
    recurrentAffineInto(x, xNonZeros, h, u, w, b, out);
    return TensorArrays.wrap(shape, out);
  }

  private static void recurrentAffineInto(
      Tensor x, SparseLeft xNonZeros, Tensor h, Tensor u, Tensor w, Tensor b, double[] into) {
    Shape shape = Shape.of(h.shape().dim(0), w.shape().dim(1));
    double[] projected = Scratch.zeros(0, shape.size());
    if (xNonZeros != null) {
      xNonZeros.multiplyAdd(TensorArrays.array(u), 0, shape.dim(1), projected, 0);
      TensorArrays.addBias(b, projected);
    } else {
      TensorArrays.affineInto(x, u, b, projected);
    }
    TensorArrays.affineInto(h, w, TensorArrays.wrap(shape, projected), into);
  }

  /**
   * The LSTM's {@code h'} and {@code c'} ({@code [B, H]} each) from {@code a [B, 4H]}, blocks i, f,
   * g, o, and the memory {@code c [B, H]}:
   *
   * <pre>
   *   i = σ(a_i),  f = σ(a_f),  g = tanh(a_g),  o = σ(a_o)
   *   c' = f c + i g,  h' = o tanh(c')
   * </pre>
   */
  public static Gates lstm(Tensor a, Tensor c) {
    if (isFloat32("lstm", a, c)) return GateKernels32.lstm(a, c); // dtype dispatch
    checkLstm("lstmGates", a.shape(), c.shape());
    int batch = c.shape().dim(0);
    int hidden = c.shape().dim(1);
    double[] gates = TensorArrays.array(a);
    double[] memory = TensorArrays.array(c);
    // Each activation reads and writes arrays of one layout, so that C2 vectorises it.
    double[] act = Buffers.doublesToOverwrite(gates.length);
    double[] next = Buffers.doublesToOverwrite(memory.length);
    double[] tanhNext = Buffers.doublesToOverwrite(next.length);
    double[] out = Buffers.doublesToOverwrite(next.length);
    ComputePool.forRows(
        batch,
        hidden,
        FORWARD_UNITS_PER_CHUNK,
        (from, to) -> {
          // Each gate's block of every row of the chunk in one call: i and f, g, then o.
          ElementaryFunctions.sigmoid(gates, act, from, to, 4 * hidden, 0, 2 * hidden);
          ElementaryFunctions.tanh(gates, act, from, to, 4 * hidden, 2 * hidden, hidden);
          ElementaryFunctions.sigmoid(gates, act, from, to, 4 * hidden, 3 * hidden, hidden);
          for (int b = from; b < to; b++) {
            int row = b * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
              next[b * hidden + j] =
                  act[row + hidden + j] * memory[b * hidden + j]
                      + act[row + j] * act[row + 2 * hidden + j];
            }
          }
          ElementaryFunctions.tanh(next, tanhNext, from * hidden, to * hidden);
          for (int b = from; b < to; b++) {
            int o = b * 4 * hidden + 3 * hidden;
            for (int j = 0; j < hidden; j++) {
              out[b * hidden + j] = act[o + j] * tanhNext[b * hidden + j];
            }
          }
        });
    return new Gates(
        TensorArrays.wrap(c.shape(), out),
        TensorArrays.wrap(c.shape(), next),
        TensorArrays.wrap(a.shape(), act),
        TensorArrays.wrap(c.shape(), tanhNext));
  }

  /**
   * The gradients of {@link #lstm}'s inputs, {@code da} ({@code [B, 4H]}) and {@code dc} ({@code
   * [B, H]}), in that order, given the gradients {@code dh'} and {@code dc'} of its outputs (either
   * may be null: no gradient reached that output), the memory {@code c} and what the forward kept:
   *
   * <pre>
   *   D = dc' + dh' o (1 − tanh²c')                     the whole gradient of c'
   *   da_i = D g i (1 − i),  da_f = D c f (1 − f),  da_g = D i (1 − g²)
   *   da_o = dh' tanh(c') o (1 − o),  dc = D f
   * </pre>
   */
  public static Tensor[] lstmBackward(Tensor dh, Tensor dc, Tensor c, Gates forward) {
    if (isFloat32("lstmBackward", dh, dc, c))
      return GateKernels32.lstmBackward(dh, dc, c, forward); // dtype dispatch
    int batch = c.shape().dim(0);
    int hidden = c.shape().dim(1);
    double[] upH = dh != null ? TensorArrays.array(dh) : Scratch.zeros(0, c.size());
    double[] upC = dc != null ? TensorArrays.array(dc) : Scratch.zeros(1, c.size());
    double[] act = TensorArrays.array(forward.activations());
    double[] tanhNext = TensorArrays.array(forward.tanhMemory());
    double[] memory = TensorArrays.array(c);
    double[] da = Buffers.doublesToOverwrite(batch * 4 * hidden);
    double[] dPrevious = Buffers.doublesToOverwrite(batch * hidden);
    ComputePool.forRows(
        batch,
        hidden,
        BACKWARD_UNITS_PER_CHUNK,
        (from, to) -> {
          for (int b = from; b < to; b++) {
            int row = b * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
              int at = b * hidden + j;
              double i = act[row + j];
              double f = act[row + hidden + j];
              double g = act[row + 2 * hidden + j];
              double o = act[row + 3 * hidden + j];
              double t = tanhNext[at];
              double dNext = upC[at] + upH[at] * o * (1.0 - t * t);
              da[row + j] = dNext * g * (i * (1.0 - i));
              da[row + hidden + j] = dNext * memory[at] * (f * (1.0 - f));
              da[row + 2 * hidden + j] = dNext * i * (1.0 - g * g);
              da[row + 3 * hidden + j] = upH[at] * t * (o * (1.0 - o));
              dPrevious[at] = dNext * f;
            }
          }
        });
    return new Tensor[] {
      TensorArrays.wrap(Shape.of(batch, 4 * hidden), da), TensorArrays.wrap(c.shape(), dPrevious)
    };
  }

  /**
   * The GRU's {@code h'} ({@code [B, H]}) in PyTorch's form, from {@code ax = x W_ih + b_ih} and
   * {@code ah = h W_hh + b_hh} ({@code [B, 3H]} each, blocks r, z, n) and the state {@code h [B,
   * H]}:
   *
   * <pre>
   *   r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z),  n = tanh(ax_n + r ah_n)
   *   h' = n + z (h − n)                                 = (1 − z) n + z h
   * </pre>
   */
  public static Gates gru(Tensor ax, Tensor ah, Tensor h) {
    if (isFloat32("gru", ax, ah, h)) return GateKernels32.gru(ax, ah, h); // dtype dispatch
    checkGru("gruGates", ax.shape(), ah.shape(), h.shape());
    return gru(TensorArrays.array(ax), 0, 3 * h.shape().dim(1), ah, h);
  }

  /**
   * {@link #gru} of step {@code step} of the input's projection {@code axs [B, T, 3H]}, read in
   * place: the numbers of {@code gru(axs[:, step], ah, h)}.
   */
  public static Gates gru(Tensor axs, int step, Tensor ah, Tensor h) {
    if (isFloat32("gru", axs, ah, h)) return GateKernels32.gru(axs, step, ah, h); // dtype dispatch
    checkGruStep("gruGates", axs.shape(), step, ah.shape(), h.shape());
    int width = 3 * h.shape().dim(1);
    return gru(TensorArrays.array(axs), step * width, axs.shape().dim(1) * width, ah, h);
  }

  /** The GRU, reading row b of ax at {@code offset + b stride} of {@code fromInput}. */
  private static Gates gru(double[] fromInput, int offset, int stride, Tensor ah, Tensor h) {
    int batch = h.shape().dim(0);
    int hidden = h.shape().dim(1);
    double[] fromState = TensorArrays.array(ah);
    double[] state = TensorArrays.array(h);
    double[] arguments = Scratch.zeros(0, batch * 3 * hidden);
    double[] act = Buffers.doublesToOverwrite(batch * 3 * hidden);
    double[] out = Buffers.doublesToOverwrite(batch * hidden);
    // The chunks write disjoint rows of the caller's scratch array, which dies with this call.
    ComputePool.forRows(
        batch,
        hidden,
        FORWARD_UNITS_PER_CHUNK,
        (from, to) -> {
          // Each gate's block of every row of the chunk in one call: r and z, then n.
          for (int b = from; b < to; b++) {
            int row = b * 3 * hidden;
            int input = offset + b * stride - row;
            for (int j = row; j < row + 2 * hidden; j++) {
              arguments[j] = fromInput[input + j] + fromState[j];
            }
          }
          ElementaryFunctions.sigmoid(arguments, act, from, to, 3 * hidden, 0, 2 * hidden);
          for (int b = from; b < to; b++) {
            int row = b * 3 * hidden;
            int n = row + 2 * hidden;
            int input = offset + b * stride - row;
            for (int j = 0; j < hidden; j++) {
              arguments[n + j] = fromInput[input + n + j] + act[row + j] * fromState[n + j];
            }
          }
          ElementaryFunctions.tanh(arguments, act, from, to, 3 * hidden, 2 * hidden, hidden);
          for (int b = from; b < to; b++) {
            int row = b * 3 * hidden;
            int n = row + 2 * hidden;
            for (int j = 0; j < hidden; j++) {
              double candidate = act[n + j];
              int at = b * hidden + j;
              out[at] = candidate + act[row + hidden + j] * (state[at] - candidate);
            }
          }
        });
    return new Gates(
        TensorArrays.wrap(h.shape(), out), null, TensorArrays.wrap(ah.shape(), act), null);
  }

  /**
   * The gradients of {@link #gru}'s inputs, {@code dax}, {@code dah} ({@code [B, 3H]} each) and
   * {@code dh} ({@code [B, H]}), in that order, given {@code gradient = dh'} ({@code [B, H]}),
   * {@code ah}, {@code h} and the forward's activations:
   *
   * <pre>
   *   P = dh' (1 − z) (1 − n²)                           the gradient of n's argument
   *   dax = [P ah_n r (1 − r) | dh' (h − n) z (1 − z) | P]
   *   dah = [P ah_n r (1 − r) | dh' (h − n) z (1 − z) | P r],  dh = dh' z
   * </pre>
   */
  public static Tensor[] gruBackward(Tensor gradient, Tensor ah, Tensor h, Gates forward) {
    if (isFloat32("gruBackward", gradient, ah, h))
      return GateKernels32.gruBackward(gradient, ah, h, forward); // dtype dispatch
    return gruBackward(gradient, ah, h, forward, Buffers.doubles(ah.size()));
  }

  /**
   * {@link #gruBackward}, with {@code dax} in this thread's scratch array 0, overwritten by the
   * next call: for a caller that adds it into a sum of its own (a step's share of the gradient of a
   * whole sequence's {@code x W_ih + b_ih}) before it returns, and keeps nothing sharing its array.
   */
  public static Tensor[] gruBackwardInScratch(Tensor gradient, Tensor ah, Tensor h, Gates forward) {
    if (isFloat32("gruBackwardInScratch", gradient, ah, h))
      return GateKernels32.gruBackwardInScratch(gradient, ah, h, forward); // dtype dispatch
    return gruBackward(gradient, ah, h, forward, Scratch.overwritten(0, ah.size()));
  }

  private static Tensor[] gruBackward(
      Tensor gradient, Tensor ah, Tensor h, Gates forward, double[] dax) {
    int batch = h.shape().dim(0);
    int hidden = h.shape().dim(1);
    double[] up = TensorArrays.array(gradient);
    double[] fromState = TensorArrays.array(ah);
    double[] state = TensorArrays.array(h);
    double[] act = TensorArrays.array(forward.activations());
    double[] dah = Buffers.doublesToOverwrite(batch * 3 * hidden);
    double[] dh = Buffers.doublesToOverwrite(batch * hidden);
    ComputePool.forRows(
        batch,
        hidden,
        BACKWARD_UNITS_PER_CHUNK,
        (from, to) -> {
          for (int b = from; b < to; b++) {
            int row = b * 3 * hidden;
            for (int j = 0; j < hidden; j++) {
              double reset = act[row + j];
              double update = act[row + hidden + j];
              double candidate = act[row + 2 * hidden + j];
              int at = b * hidden + j;
              double dNext = up[at];
              double dCandidate = (dNext - dNext * update) * (1.0 - candidate * candidate);
              double dReset =
                  dCandidate * fromState[row + 2 * hidden + j] * (reset * (1.0 - reset));
              double dUpdate = dNext * (state[at] - candidate) * (update * (1.0 - update));
              dax[row + j] = dReset;
              dax[row + hidden + j] = dUpdate;
              dax[row + 2 * hidden + j] = dCandidate;
              dah[row + j] = dReset;
              dah[row + hidden + j] = dUpdate;
              dah[row + 2 * hidden + j] = dCandidate * reset;
              dh[at] = dNext * update;
            }
          }
        });
    return new Tensor[] {
      TensorArrays.wrap(ah.shape(), dax),
      TensorArrays.wrap(ah.shape(), dah),
      TensorArrays.wrap(h.shape(), dh)
    };
  }

  /**
   * Throws, naming {@code op} and both shapes, unless {@code a} is {@code [B, 4H]} for {@code c [B,
   * H]}.
   */
  public static void checkLstm(String op, Shape a, Shape c) {
    checkArgument(
        a.rank() == 2 && c.rank() == 2 && a.dim(0) == c.dim(0) && a.dim(1) == 4 * c.dim(1),
        "%s: a %s and c %s: a must be [B, 4H] for c [B, H]",
        op,
        a,
        c);
  }

  /** As {@link #checkLstm}, and the gradients of both outputs must have c's shape. */
  public static void checkLstmBackward(String op, Shape dh, Shape dc, Shape a, Shape c) {
    checkLstm(op, a, c);
    checkArgument(
        dh.equals(c) && dc.equals(c),
        "%s: gradients dh %s and dc %s for a %s and c %s: each must be [B, H]",
        op,
        dh,
        dc,
        a,
        c);
  }

  /**
   * Throws, naming {@code op} and the shapes, unless {@code ax} and {@code ah} are {@code [B, 3H]}
   * for {@code h [B, H]}.
   */
  public static void checkGru(String op, Shape ax, Shape ah, Shape h) {
    checkArgument(
        h.rank() == 2 && ax.equals(Shape.of(h.dim(0), 3 * h.dim(1))) && ah.equals(ax),
        "%s: ax %s, ah %s and h %s: ax and ah must be [B, 3H] for h [B, H]",
        op,
        ax,
        ah,
        h);
  }

  /**
   * As {@link #checkGru} for step {@code step} of {@code axs}, which must be a sequence {@code [B,
   * T, 3H]} with {@code T > step}.
   */
  public static void checkGruStep(String op, Shape axs, int step, Shape ah, Shape h) {
    checkArgument(
        axs.rank() == 3 && step >= 0 && step < axs.dim(1),
        "%s: step %s of axs %s: expected a sequence [B, T, 3H] with T > %s",
        op,
        step,
        axs,
        step);
    checkGru(op, axs.without(1), ah, h);
  }

  /** As {@link #checkGru}, and the gradient of the output must be {@code [B, H]}, h's shape. */
  public static void checkGruBackward(String op, Shape gradient, Shape ax, Shape ah, Shape h) {
    checkGru(op, ax, ah, h);
    checkArgument(
        gradient.equals(h),
        "%s: gradient %s for h %s: the gradient must have h's shape",
        op,
        gradient,
        h);
  }
}

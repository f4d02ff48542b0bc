package dev.rewind.autodiff.ops;

import static dev.rewind.autodiff.check.TensorArbitraries.awayFromZero;
import static dev.rewind.autodiff.check.TensorArbitraries.broadcastablePairs;
import static dev.rewind.autodiff.check.TensorArbitraries.positive;
import static dev.rewind.autodiff.check.TensorArbitraries.shapes;
import static dev.rewind.autodiff.check.TensorArbitraries.tensors;

import dev.rewind.autodiff.ops.elementwise.Convert;
import dev.rewind.autodiff.ops.elementwise.SigmoidBackward;
import dev.rewind.autodiff.ops.elementwise.TanhBackward;
import dev.rewind.autodiff.ops.reduce.LogSoftmaxBackward;
import dev.rewind.autodiff.ops.reduce.PickLogSoftmax;
import dev.rewind.autodiff.ops.reduce.PickLogSoftmaxBackward;
import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.ops.rnn.GruGatesBackward;
import dev.rewind.autodiff.ops.rnn.LstmGatesBackward;
import dev.rewind.autodiff.ops.shape.Place;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** The registry of op cases: every op of the library with inputs that suit it. */
final class OpCases {
  private static final double BOUND = 2.0;
  private static final double CLAMP_BOUND = 0.7;
  // A generator made afresh from a fixed seed at every evaluation, so that every evaluation of a
  // gradient check draws the same dropout mask, and the op is a fixed function of its input.
  private static final long SEED = 20160512;

  private OpCases() {}

  static List<OpCase> all() {
    return List.of(
        binary("add", Var::add, broadcasting()),
        binary("sub", Var::sub, broadcasting()),
        binary("mul", Var::mul, broadcasting()),
        binary("div", Var::div, dividing()),
        binary("maximum", Var::maximum, tieFree()),
        binary("minimum", Var::minimum, tieFree()),
        unary("neg", Var::neg, any()),
        // Checked in float64, where conversion is the identity; Float32AccuracyProperties checks it
        // across dtypes.
        unary("to float64", x -> new Convert(DType.FLOAT64).apply(x), any()),
        unary("tanh", Var::tanh, any()),
        unary("sigmoid", Var::sigmoid, any()),
        binary("tanhBackward", (g, y) -> new TanhBackward().apply(g, y), sameShape()),
        binary("sigmoidBackward", (g, y) -> new SigmoidBackward().apply(g, y), sameShape()),
        unary("relu", Var::relu, any()),
        unary("exp", Var::exp, any()),
        unary("log", Var::log, positives()),
        unary("square", Var::square, any()),
        unary("sqrt", Var::sqrt, positives()),
        unary("pow 3", x -> x.pow(3), any()),
        unary("pow -1.5", x -> x.pow(-1.5), positives()),
        unary("abs", Var::abs, any()),
        unary("clamp", x -> x.clamp(-CLAMP_BOUND, CLAMP_BOUND), awayFromClampBounds()),
        where(),
        unary("dropout p 0.5", x -> x.dropout(0.5, true, new Random(SEED)), any()),
        unary("dropout p 0.2", x -> x.dropout(0.2, true, new Random(SEED + 1)), any()),
        unary("dropout, one mask for every row", x -> x.dropout(rowMask(x.shape())), any()),
        unary("sum", Var::sum, any()),
        unary("sum axis 0", x -> x.sum(0, false), any()),
        unary("sum axis -1 keepDims", x -> x.sum(-1, true), any()),
        unary("mean", Var::mean, any()),
        unary("mean axis 0 keepDims", x -> x.mean(0, true), any()),
        unary("softmax", x -> x.softmax(-1), any()),
        unary("softmax axis 0", x -> x.softmax(0), any()),
        unary("logSoftmax", x -> x.logSoftmax(-1), any()),
        binary("logSoftmaxBackward", (g, y) -> new LogSoftmaxBackward(-1).apply(g, y), sameShape()),
        binary(
            "logSoftmaxBackward axis 0",
            (g, y) -> new LogSoftmaxBackward(0).apply(g, y),
            sameShape()),
        broadcastTo(),
        sumTo(),
        matmul("matmul [n,k] x [k,m]", false, false, false, false),
        matmul("matmul [B,n,k] x [B,k,m]", true, true, false, false),
        matmul("matmul [B,n,k] x [k,m]", true, false, false, false),
        matmul("matmul a bᵀ [n,k] x [m,k]", false, false, false, true),
        matmul("matmul aᵀ b [k,n] x [k,m]", false, false, true, false),
        matmul("matmul aᵀ bᵀ [k,n] x [m,k]", false, false, true, true),
        matmul("matmul aᵀ bᵀ [B,k,n] x [B,m,k]", true, true, true, true),
        matmul("matmul a bᵀ [B,n,k] x [m,k]", true, false, false, true),
        matmul("matmul aᵀ b [B,k,n] x [k,m]", true, false, true, false),
        matmul("matmul aᵀ bᵀ [B,k,n] x [m,k]", true, false, true, true),
        affine(false),
        affine(true),
        rnnTanhCell(false),
        rnnTanhCell(true),
        recurrentAffine(false),
        recurrentAffine(true),
        unary("transpose", Var::transpose, matrices(2)),
        unary("transpose 0 2", x -> x.transpose(0, 2), matrices(3)),
        unary("reshape", x -> x.reshape(x.value().size()), any()),
        concat(),
        unary("slice", x -> x.slice(0, 1, x.shape().dim(0)), rowsAtLeast(2)),
        unary("pad", x -> x.pad(-1, 1, 2), any()),
        unary("stack", x -> Var.stack(1, List.of(x, x.square())), any()),
        unary("unstack", x -> Var.stack(0, x.unstack(0)), rowsAtLeast(2)),
        unary("split", x -> x.split(0, 1, x.shape().dim(0) - 1).get(1), rowsAtLeast(2)),
        unary("gather", x -> x.gather(0, 2, 0, 1), rowsAtLeast(3)),
        unary("pick", x -> x.pick(alternatingColumns(x.shape())), matrices(2)),
        unary(
            "pickLogSoftmax",
            x -> new PickLogSoftmax(alternatingColumns(x.shape())).apply(x),
            matrices(2)),
        unary("pickLogSoftmaxBackward", OpCases::pickLogSoftmaxBackward, columnsAtLeast(3)),
        unary(
            "place",
            x -> new Place(alternatingColumns(Shape.of(x.shape().size(), 3)), 3).apply(x),
            vectors()),
        unary("scatterAdd", x -> x.scatterAdd(new int[] {1, 0, 1}, 4), rowsExactly(3)),
        gates(
            "lstmGates",
            List.of(4, 1),
            OpCases::memoryWithTheCandidatesSign,
            vars -> Var.concat(1, FusedSteps.lstmGates(vars.get(0), vars.get(1)))),
        gates(
            "lstmGates, h' alone",
            List.of(4, 1),
            OpCases::memoryWithTheCandidatesSign,
            vars -> FusedSteps.lstmGates(vars.get(0), vars.get(1)).get(0)),
        gates(
            "lstmGates, c' alone",
            List.of(4, 1),
            OpCases::memoryWithTheCandidatesSign,
            vars -> FusedSteps.lstmGates(vars.get(0), vars.get(1)).get(1)),
        gates(
            "lstmGatesBackward",
            List.of(1, 1, 4, 1),
            OpCases::memoryWithTheCandidatesSign,
            vars -> Var.concat(1, lstmGatesBackward(vars))),
        gates(
            "lstmGatesBackward, dc alone",
            List.of(1, 1, 4, 1),
            OpCases::memoryWithTheCandidatesSign,
            vars -> lstmGatesBackward(vars).get(1)),
        gates(
            "gruGates",
            List.of(3, 3, 1),
            UnaryOperator.identity(),
            vars -> FusedSteps.gruGates(vars.get(0), vars.get(1), vars.get(2))),
        gruGatesOfAStep(),
        gates(
            "gruGatesBackward",
            List.of(1, 3, 3, 1),
            UnaryOperator.identity(),
            vars -> Var.concat(1, gruGatesBackward(vars))),
        gates(
            "gruGatesBackward, dh alone",
            List.of(1, 3, 3, 1),
            UnaryOperator.identity(),
            vars -> gruGatesBackward(vars).get(2)),
        unary("maskedSelect", x -> x.maskedSelect(checkerboard(x.shape())), any()),
        unary(
            "maskedScatter",
            x -> x.maskedScatter(checkerboard(Shape.of(x.shape().size(), 2))),
            vectors()));
  }

  private static OpCase unary(String name, UnaryOperator<Var> op, Arbitrary<Tensor> inputs) {
    return new OpCase(name, inputs.map(List::of), vars -> op.apply(vars.get(0)));
  }

  private static OpCase binary(
      String name, java.util.function.BinaryOperator<Var> op, Arbitrary<List<Tensor>> inputs) {
    return new OpCase(name, inputs, vars -> op.apply(vars.get(0), vars.get(1)));
  }

  /**
   * Values at least 0.05 from 0: smooth ops have no kink there, but many of their derivatives
   * vanish at 0, where no relative error can be measured.
   */
  private static Arbitrary<Tensor> any() {
    return shapes(1, 3, 4).flatMap(OpCases::values);
  }

  private static Arbitrary<Tensor> values(Shape shape) {
    return awayFromZero(shape, 0.05, BOUND);
  }

  private static Arbitrary<Tensor> positives() {
    return shapes(1, 3, 4).flatMap(shape -> positive(shape, 0.5, BOUND));
  }

  /** Values at least 0.01 from the clamp bounds ±0.7, where clamp has its kinks. */
  private static Arbitrary<Tensor> awayFromClampBounds() {
    return tensors(shapes(1, 3, 4), -BOUND, BOUND)
        .map(
            t ->
                Pointwise.map(
                    t,
                    x ->
                        Math.abs(Math.abs(x) - CLAMP_BOUND) < 0.01
                            ? x + Math.copySign(0.02, x)
                            : x));
  }

  private static Arbitrary<Tensor> matrices(int rank) {
    return shapes(rank, rank, 4).flatMap(OpCases::values);
  }

  private static Arbitrary<Tensor> vectors() {
    return shapes(1, 1, 5).flatMap(OpCases::values);
  }

  private static Arbitrary<Tensor> rowsAtLeast(int rows) {
    return shapes(1, 3, 4)
        .map(shape -> shape.withDim(0, Math.max(rows, shape.dim(0))))
        .flatMap(OpCases::values);
  }

  private static Arbitrary<Tensor> rowsExactly(int rows) {
    return shapes(1, 3, 4).map(shape -> shape.withDim(0, rows)).flatMap(OpCases::values);
  }

  /** Two operands of the same shape. */
  private static Arbitrary<List<Tensor>> sameShape() {
    return shapes(1, 3, 4)
        .flatMap(shape -> Combinators.combine(values(shape), values(shape)).as(List::of));
  }

  /** Two operands whose shapes broadcast together. */
  private static Arbitrary<List<Tensor>> broadcasting() {
    return broadcastablePairs(3, 3)
        .flatMap(
            pair -> Combinators.combine(values(pair.get(0)), values(pair.get(1))).as(List::of));
  }

  /** Two operands whose shapes broadcast together, the second in [0.5, 2] as a divisor. */
  private static Arbitrary<List<Tensor>> dividing() {
    return broadcastablePairs(3, 3)
        .flatMap(
            pair ->
                Combinators.combine(values(pair.get(0)), positive(pair.get(1), 0.5, BOUND))
                    .as(List::of));
  }

  /**
   * Operands that never tie, where maximum and minimum have their kinks: {@code |a| >= 0.05} and
   * {@code |b| <= 0.04}, so either may win but never by less than 0.01.
   */
  private static Arbitrary<List<Tensor>> tieFree() {
    return broadcastablePairs(3, 3)
        .flatMap(
            pair ->
                Combinators.combine(
                        awayFromZero(pair.get(0), 0.05, BOUND), tensors(pair.get(1), -0.04, 0.04))
                    .as(List::of));
  }

  private static OpCase where() {
    Arbitrary<List<Tensor>> inputs =
        broadcastablePairs(3, 3)
            .map(pair -> pair.get(0).broadcast(pair.get(1), "where"))
            .flatMap(shape -> Combinators.combine(values(shape), values(shape)).as(List::of));
    return new OpCase(
        "where",
        inputs,
        vars -> Var.where(checkerboard(vars.get(0).shape()), vars.get(0), vars.get(1)));
  }

  private static OpCase broadcastTo() {
    Arbitrary<List<Tensor>> inputs =
        broadcastablePairs(3, 3).flatMap(pair -> values(smaller(pair)).map(List::of));
    return new OpCase(
        "broadcastTo",
        inputs,
        vars -> vars.get(0).broadcastTo(vars.get(0).shape().inserting(0, 3)));
  }

  /** Sums a leading axis of 2 away and the last axis down to 1, so the op always runs. */
  private static OpCase sumTo() {
    Arbitrary<List<Tensor>> inputs =
        broadcastablePairs(3, 3)
            .flatMap(pair -> values(larger(pair).inserting(0, 2)).map(List::of));
    Function<List<Var>, Var> apply =
        vars -> {
          Shape rest = vars.get(0).shape().without(0);
          return vars.get(0).sumTo(rest.withDim(rest.rank() - 1, 1));
        };
    return new OpCase("sumTo", inputs, apply);
  }

  /** {@code op(a) op(b)}; a transposed operand is generated in its stored, transposed shape. */
  private static OpCase matmul(
      String name,
      boolean batchedLeft,
      boolean batchedRight,
      boolean transposeLeft,
      boolean transposeRight) {
    Arbitrary<Integer> dim = Arbitraries.integers().between(1, 4);
    Arbitrary<List<Tensor>> inputs =
        Combinators.combine(dim, dim, dim, dim)
            .as((b, n, k, m) -> new int[] {b, n, k, m})
            .flatMap(
                d -> {
                  Shape left = stored(batchedLeft, d[0], d[1], d[2], transposeLeft);
                  Shape right = stored(batchedRight, d[0], d[2], d[3], transposeRight);
                  return Combinators.combine(values(left), values(right)).as(List::of);
                });
    return new OpCase(
        name, inputs, vars -> vars.get(0).matmul(vars.get(1), transposeLeft, transposeRight));
  }

  /**
   * {@code x w + b} for {@code x [n, k]} or {@code [B, n, k]}, {@code w [k, m]}, and {@code b [m]}
   * or, {@code perElement}, of the product's shape.
   */
  private static OpCase affine(boolean perElement) {
    Arbitrary<Integer> dim = Arbitraries.integers().between(1, 4);
    Arbitrary<Integer> batch = Arbitraries.integers().between(0, 2); // 0: x is a matrix
    Arbitrary<List<Tensor>> inputs =
        Combinators.combine(batch, dim, dim, dim)
            .as((b, n, k, m) -> new int[] {b, n, k, m})
            .flatMap(
                d -> {
                  Shape x = d[0] == 0 ? Shape.of(d[1], d[2]) : Shape.of(d[0], d[1], d[2]);
                  Shape product = x.withDim(x.rank() - 1, d[3]);
                  return Combinators.combine(
                          values(x),
                          values(Shape.of(d[2], d[3])),
                          values(perElement ? product : Shape.of(d[3])))
                      .as(List::of);
                });
    return new OpCase(
        perElement ? "affine, b per element" : "affine",
        inputs,
        vars -> vars.get(0).affine(vars.get(1), vars.get(2)));
  }

  /**
   * {@code tanh(h W + (x U + b))} for {@code x [B, in]}, {@code h [B, H]}: x and h in ±[0.25, 1]
   * and the weights in ±[0.05, 0.5], so that the pre-activation stays off tanh's flat tails,
   * checked with a step of 5e-6 for the reason given at {@link #gates}: products of derivatives
   * make Jacobian entries near 1e-6 common. Over 3,000 random cases, the default step failed two
   * second-order checks and 5e-6 none.
   */
  private static OpCase rnnTanhCell(boolean sequence) {
    Arbitrary<Integer> dim = Arbitraries.integers().between(1, 3);
    Arbitrary<List<Tensor>> inputs =
        Combinators.combine(dim, dim, dim, dim)
            .as((batch, in, hidden, steps) -> new int[] {batch, in, hidden, steps})
            .flatMap(
                d ->
                    Combinators.combine(
                            awayFromZero(
                                sequence ? Shape.of(d[0], d[3], d[1]) : Shape.of(d[0], d[1]),
                                0.25,
                                1),
                            awayFromZero(Shape.of(d[0], d[2]), 0.25, 1),
                            awayFromZero(Shape.of(d[1], d[2]), 0.05, 0.5),
                            awayFromZero(Shape.of(d[2], d[2]), 0.05, 0.5),
                            awayFromZero(Shape.of(d[2]), 0.05, 0.5))
                        .as(List::of));
    if (sequence) {
      // The step t = T / 2: the first, last or middle one.
      return new OpCase(
          "rnnTanhCell at a step",
          inputs,
          vars ->
              FusedSteps.rnnTanhCell(
                  vars.get(0),
                  vars.get(0).shape().dim(1) / 2,
                  vars.get(1),
                  vars.get(2),
                  vars.get(3),
                  vars.get(4)),
          5e-6);
    }
    return new OpCase(
        "rnnTanhCell",
        inputs,
        vars ->
            FusedSteps.rnnTanhCell(vars.get(0), vars.get(1), vars.get(2), vars.get(3), vars.get(4)),
        5e-6);
  }

  /**
   * {@code h W + (x U + b)} with {@code G} output columns of their own, {@code U [in, G]} and
   * {@code W [H, G]}; linear in each input, so any values do.
   */
  private static OpCase recurrentAffine(boolean sequence) {
    Arbitrary<Integer> dim = Arbitraries.integers().between(1, 3);
    Arbitrary<List<Tensor>> inputs =
        Combinators.combine(dim, dim, dim, dim, dim)
            .as(
                (batch, in, hidden, steps, columns) ->
                    new int[] {batch, in, hidden, steps, columns})
            .flatMap(
                d ->
                    Combinators.combine(
                            values(sequence ? Shape.of(d[0], d[3], d[1]) : Shape.of(d[0], d[1])),
                            values(Shape.of(d[0], d[2])),
                            values(Shape.of(d[1], d[4])),
                            values(Shape.of(d[2], d[4])),
                            values(Shape.of(d[4])))
                        .as(List::of));
    if (sequence) {
      // The step t = T / 2: the first, last or middle one.
      return new OpCase(
          "recurrentAffine at a step",
          inputs,
          vars ->
              FusedSteps.recurrentAffine(
                  vars.get(0),
                  vars.get(0).shape().dim(1) / 2,
                  vars.get(1),
                  vars.get(2),
                  vars.get(3),
                  vars.get(4)));
    }
    return new OpCase(
        "recurrentAffine",
        inputs,
        vars ->
            FusedSteps.recurrentAffine(
                vars.get(0), vars.get(1), vars.get(2), vars.get(3), vars.get(4)));
  }

  /** The stored shape of a {@code [rows, columns]} operand, batched or transposed or both. */
  private static Shape stored(
      boolean batched, int batch, int rows, int columns, boolean transposed) {
    Shape matrix = transposed ? Shape.of(columns, rows) : Shape.of(rows, columns);
    return batched ? matrix.inserting(0, batch) : matrix;
  }

  private static OpCase concat() {
    Arbitrary<List<Tensor>> inputs =
        shapes(2, 3, 3)
            .flatMap(
                shape ->
                    Combinators.combine(values(shape), values(shape.withDim(1, shape.dim(1) + 1)))
                        .as(List::of));
    return new OpCase(
        "concat", inputs, vars -> Var.concat(1, vars.get(0), vars.get(1), vars.get(0)));
  }

  /**
   * A gate op whose input k is {@code [B, blocks(k) H]} (a backward op's first input is the output
   * gradient), checked with a step of 5e-6.
   *
   * <p>NOTE: the step, not the tolerance (which stays 1e-6). Each Jacobian entry of a gate op is a
   * product of several gate derivatives, each at most 1/4, and many are differences of two such
   * products, so entries near 1e-6 are common. The rounding error of the differences is near 1e-16
   * |f| / eps, and GradCheck holds an entry to the relative tolerance only above its bound ν over
   * the tolerance, about 3e-5 here: the step 5e-6 rather than 1e-6 lowers that five times. Values
   * in ±[0.25, 1] keep the gates off saturation; sums of them, such as a gate's pre-activation
   * {@code ax + ah}, still cross 0, where an entry vanishes (the factor {@code 1 - 2z} at {@code z
   * = 1/2}, or n itself) and is held to ν ({@link GruGatesBackwardJacobianTest} pins two such
   * samples). A wrong rule fails every time.
   */
  private static OpCase gates(
      String name,
      List<Integer> blocks,
      UnaryOperator<List<Tensor>> conditioning,
      Function<List<Var>, Var> apply) {
    Arbitrary<Integer> batch = Arbitraries.integers().between(1, 2);
    Arbitrary<Integer> hidden = Arbitraries.integers().between(1, 3);
    Arbitrary<List<Tensor>> inputs =
        Combinators.combine(batch, hidden)
            .as((b, h) -> blocks.stream().map(k -> Shape.of(b, k * h)).toList())
            .flatMap(
                shapes ->
                    Combinators.combine(
                            shapes.stream().map(shape -> awayFromZero(shape, 0.25, 1)).toList())
                        .as(conditioning::apply));
    return new OpCase(name, inputs, apply, 5e-6);
  }

  private static List<Var> lstmGatesBackward(List<Var> vars) {
    return new LstmGatesBackward().applyAll(vars.get(0), vars.get(1), vars.get(2), vars.get(3));
  }

  private static List<Var> gruGatesBackward(List<Var> vars) {
    return new GruGatesBackward().applyAll(vars.get(0), vars.get(1), vars.get(2), vars.get(3));
  }

  /**
   * {@code gruGates} reading step 1 of {@code axs [B, T, 3H]} in place, with the inputs and step of
   * the other gate cases (see {@link #gates}).
   */
  private static OpCase gruGatesOfAStep() {
    Arbitrary<Integer> batch = Arbitraries.integers().between(1, 2);
    Arbitrary<Integer> steps = Arbitraries.integers().between(2, 3);
    Arbitrary<Integer> hidden = Arbitraries.integers().between(1, 3);
    Arbitrary<List<Tensor>> inputs =
        Combinators.combine(batch, steps, hidden)
            .as((b, t, h) -> List.of(Shape.of(b, t, 3 * h), Shape.of(b, 3 * h), Shape.of(b, h)))
            .flatMap(
                shapes ->
                    Combinators.combine(
                            shapes.stream().map(shape -> awayFromZero(shape, 0.25, 1)).toList())
                        .as(List::copyOf));
    return new OpCase(
        "gruGates, step 1 of axs",
        inputs,
        vars -> FusedSteps.gruGates(vars.get(0), 1, vars.get(1), vars.get(2)),
        5e-6);
  }

  /**
   * The LSTM gates' inputs {@code (..., a, c)} with each memory element given the sign of its
   * candidate's argument {@code a_g}, so that {@code c' = f c + i g} stays away from 0: there,
   * {@code tanh c'} and with it many entries of the Jacobian vanish.
   */
  private static List<Tensor> memoryWithTheCandidatesSign(List<Tensor> inputs) {
    int last = inputs.size() - 1;
    Tensor a = inputs.get(last - 1);
    Tensor c = inputs.get(last);
    int hidden = c.shape().dim(1);
    double[] memory = c.toArray();
    for (int i = 0; i < memory.length; i++) {
      int row = i / hidden;
      int unit = i % hidden;
      memory[i] = Math.copySign(memory[i], a.get(row, 2 * hidden + unit));
    }
    List<Tensor> conditioned = new ArrayList<>(inputs.subList(0, last));
    conditioned.add(Tensor.of(c.shape(), memory));
    return List.copyOf(conditioned);
  }

  /**
   * {@code pickLogSoftmaxBackward(g, m)} with {@code g} the first column of {@code x} and {@code m}
   * the others, so that one input varies both.
   */
  private static Var pickLogSoftmaxBackward(Var x) {
    int rows = x.shape().dim(0);
    int columns = x.shape().dim(1);
    Var g = x.slice(1, 0, 1).reshape(rows);
    Var logits = x.slice(1, 1, columns);
    return new PickLogSoftmaxBackward(alternatingColumns(logits.shape())).apply(g, logits);
  }

  private static Arbitrary<Tensor> columnsAtLeast(int columns) {
    return shapes(2, 2, 4)
        .map(shape -> shape.withDim(1, Math.max(columns, shape.dim(1))))
        .flatMap(OpCases::values);
  }

  /** For each row of a {@code [N, C]} matrix, a column: 0, C − 1, 0, C − 1, ... */
  static int[] alternatingColumns(Shape matrix) {
    int[] columns = new int[matrix.dim(0)];
    for (int n = 0; n < columns.length; n++) {
      columns[n] = n % 2 == 0 ? 0 : matrix.dim(1) - 1;
    }
    return columns;
  }

  /** A 0/1 mask of {@code shape} with ones at even flat positions. */
  static Tensor checkerboard(Shape shape) {
    double[] mask = new double[shape.size()];
    for (int i = 0; i < mask.length; i += 2) {
      mask[i] = 1;
    }
    return Tensor.of(shape, mask);
  }

  /**
   * A dropout mask of {@code shape} with its first axis 1 (so it broadcasts over that axis, as one
   * mask does over the steps of a sequence): 0 at odd flat positions, 1 / (1 - 0.5) at even ones.
   */
  static Tensor rowMask(Shape shape) {
    return Pointwise.scale(checkerboard(shape.withDim(0, 1)), 2.0);
  }

  /** The operand that broadcasts to the other one. */
  private static Shape smaller(List<Shape> pair) {
    return pair.get(0).broadcastsTo(pair.get(1)) ? pair.get(0) : pair.get(1);
  }

  /** The operand the other one broadcasts to; never a scalar, since pairs have rank 1 or more. */
  private static Shape larger(List<Shape> pair) {
    return pair.get(0).broadcastsTo(pair.get(1)) ? pair.get(1) : pair.get(0);
  }
}

package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellCase.Subject;
import dev.rewind.layers.elman.ConcatenatedElmanCell;
import dev.rewind.layers.elman.DeepElmanCell;
import dev.rewind.layers.elman.DeepJordanCell;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.elman.JordanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.leaky.LeakyCell;
import dev.rewind.layers.leaky.SkipCell;
import dev.rewind.layers.leaky.SkipState;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.Bidirectional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The registry of cell cases: every {@link RecurrentCell} of the library, in each of its forms,
 * small and seeded, with a scalar loss over an unrolled run ({@link Recurrent#run}) that reads
 * every output and the final state.
 */
final class CellCases {
  static final int BATCH = 2;
  static final int INPUT = 3;
  static final int HIDDEN = 3;
  static final int STEPS = 3;

  /**
   * The seed of the generator a dropout wrapper draws its masks from: the wrapper is made afresh
   * from it at every evaluation of the loss, so that every evaluation draws the same masks and the
   * loss is a fixed function of the weights and inputs.
   */
  private static final long MASK_SEED = 20160512;

  /** The least distance from 0 of every ReLU pre-activation of a ReLU case's unperturbed run. */
  static final double RELU_MARGIN = 0.05;

  private CellCases() {}

  static List<CellCase> all() {
    List<CellCase> cases = new ArrayList<>();
    cases.add(
        layer(
            "LSTM standard",
            1,
            r -> LstmCell.random(LstmCell.Options.standard(), INPUT, HIDDEN, r)));
    cases.add(
        layer(
            "LSTM 1997, no forget gate",
            2,
            r -> LstmCell.random(LstmCell.Options.original1997(), INPUT, HIDDEN, r)));
    cases.add(
        layer(
            "LSTM standard with peepholes",
            3,
            r -> LstmCell.random(LstmCell.Options.standard().withPeepholes(), INPUT, HIDDEN, r)));
    cases.add(
        layer(
            "LSTM 1997 with peepholes",
            4,
            r ->
                LstmCell.random(
                    LstmCell.Options.original1997().withPeepholes(), INPUT, HIDDEN, r)));
    cases.add(
        layer(
            "GRU reset after", 5, r -> GruCell.random(GruCell.Form.RESET_AFTER, INPUT, HIDDEN, r)));
    cases.add(
        layer(
            "GRU reset before",
            6,
            r -> GruCell.random(GruCell.Form.RESET_BEFORE, INPUT, HIDDEN, r)));
    for (Activation activation : Activation.values()) {
      if (activation == Activation.RELU) {
        cases.add(reluElman());
      } else {
        cases.add(
            layer(
                "Elman " + activation,
                10 + activation.ordinal(),
                r -> ElmanCell.random(INPUT, HIDDEN, activation, r)));
      }
    }
    cases.add(
        layer(
            "Elman tanh with a sigmoid output layer",
            20,
            r -> ElmanCell.random(INPUT, HIDDEN, 2, Activation.TANH, Activation.SIGMOID, r)));
    cases.add(layer("concatenated Elman", 21, r -> ConcatenatedElmanCell.random(INPUT, HIDDEN, r)));
    cases.add(
        layer(
            "Jordan",
            22,
            r -> JordanCell.random(INPUT, HIDDEN, 2, Activation.TANH, Activation.SIGMOID, r)));
    cases.add(
        layer(
            "deep Elman",
            23,
            r ->
                DeepElmanCell.random(
                    INPUT, List.of(3, 2), 2, Activation.TANH, Activation.IDENTITY, r)));
    cases.add(
        layer(
            "deep Jordan",
            24,
            r ->
                DeepJordanCell.random(
                    INPUT, List.of(3, 2), 2, Activation.TANH, Activation.SIGMOID, r)));
    cases.add(
        layer("leaky, fixed α", 25, r -> LeakyCell.random(INPUT, HIDDEN, LeakyCell.Leak.FIXED, r)));
    cases.add(
        layer(
            "leaky, learned α",
            26,
            r -> LeakyCell.random(INPUT, HIDDEN, LeakyCell.Leak.LEARNED, r)));
    cases.add(layer("skip, delay 2", 27, r -> SkipCell.random(INPUT, HIDDEN, 2, r)));
    cases.add(stacked(false));
    cases.add(stacked(true));
    cases.add(variationalDropout());
    cases.add(lambda());
    cases.add(bidirectional());
    return List.copyOf(cases);
  }

  /** A cell that is its own layer, drawn from {@code new Random(seed)}, as built. */
  private static <S extends RecurrentState<S>, C extends Layer & RecurrentCell<S>> CellCase layer(
      String name, long seed, Function<Random, C> make) {
    return new CellCase(
        name,
        () -> {
          Random random = new Random(seed);
          C cell = make.apply(random);
          return unrolled(cell.namedParameters(), () -> cell, inputs(random), cellClasses(cell));
        });
  }

  /**
   * An Elman cell with ReLU, kept off ReLU's kink: inputs are drawn from successive seeds until
   * every pre-activation {@code x U + h W + b} of the run is at least {@link #RELU_MARGIN} from 0
   * (a nudge of 2ε = 2e-6 to a weight or input moves them by far less), and the case fails to build
   * if no seed of 100 gives that.
   */
  private static CellCase reluElman() {
    return new CellCase(
        "Elman RELU",
        () -> {
          ElmanCell cell = ElmanCell.random(INPUT, HIDDEN, Activation.RELU, new Random(13));
          for (long seed = 1300; seed < 1400; seed++) {
            Tensor xs = inputs(new Random(seed));
            if (reluMargin(cell, xs) >= RELU_MARGIN) {
              return unrolled(cell.namedParameters(), () -> cell, xs, cellClasses(cell));
            }
          }
          throw new IllegalStateException("no seed kept the ReLU pre-activations off 0");
        });
  }

  /** The least |pre-activation| of a ReLU Elman cell's run over {@code xs}. */
  static double reluMargin(ElmanCell cell, Tensor xs) {
    Var inputs = Var.constant(xs);
    Var h = Var.constant(Tensor.zeros(BATCH, cell.hiddenSize()));
    double margin = Double.POSITIVE_INFINITY;
    for (int t = 0; t < xs.shape().dim(1); t++) {
      Var pre = inputs.select(1, t).matmul(cell.u()).add(h.matmul(cell.w())).add(cell.b());
      for (double value : pre.value().toArray()) {
        margin = Math.min(margin, Math.abs(value));
      }
      h = pre.relu();
    }
    return margin;
  }

  /** Two GRU layers, with or without dropout between them (its masks drawn as the wrapper's). */
  private static CellCase stacked(boolean dropout) {
    return new CellCase(
        dropout ? "stacked GRUs with dropout between layers" : "stacked LSTMs",
        () -> {
          Random random = new Random(dropout ? 31 : 32);
          if (dropout) {
            StackedCell<HiddenState> stack =
                new StackedCell<>(
                    GruCell.random(INPUT, HIDDEN, random), GruCell.random(HIDDEN, 2, random));
            Supplier<RecurrentCell<StackedState<HiddenState>>> perEvaluation =
                () -> stack.withDropout(0.4, new Random(MASK_SEED));
            return unrolled(
                stack.namedParameters(), perEvaluation, inputs(random), cellClasses(stack));
          }
          StackedCell<LstmState> stack =
              new StackedCell<>(
                  LstmCell.random(INPUT, HIDDEN, random), LstmCell.random(HIDDEN, 2, random));
          return unrolled(stack.namedParameters(), () -> stack, inputs(random), cellClasses(stack));
        });
  }

  /**
   * An LSTM wrapped in variational dropout on its inputs, fed-back state and outputs: a wrapper
   * made afresh from {@link #MASK_SEED} at every evaluation, so the masks are the same at each.
   */
  private static CellCase variationalDropout() {
    return new CellCase(
        "variational dropout around an LSTM",
        () -> {
          Random random = new Random(33);
          LstmCell lstm = LstmCell.random(INPUT, HIDDEN, random);
          Supplier<RecurrentCell<LstmState>> perEvaluation =
              () -> VariationalDropout.wrap(lstm, 0.3, 0.3, 0.3, new Random(MASK_SEED));
          VariationalDropout<LstmState> one = (VariationalDropout<LstmState>) perEvaluation.get();
          return unrolled(one.namedParameters(), perEvaluation, inputs(random), cellClasses(one));
        });
  }

  /** {@code RecurrentCell.of}: a tanh cell written as a lambda over parameters of its own. */
  private static CellCase lambda() {
    return new CellCase(
        "lambda cell (RecurrentCell.of)",
        () -> {
          Random random = new Random(34);
          Parameter u =
              new Parameter("u", Tensor.randomNormal(Shape.of(INPUT, HIDDEN), 0, 0.5, random));
          Parameter w =
              new Parameter("w", Tensor.randomNormal(Shape.of(HIDDEN, HIDDEN), 0, 0.5, random));
          Parameter b = new Parameter("b", Tensor.randomNormal(Shape.of(HIDDEN), 0, 0.5, random));
          RecurrentCell<HiddenState> cell =
              RecurrentCell.of(INPUT, HIDDEN, (x, h) -> x.matmul(u).add(h.matmul(w)).add(b).tanh());
          return unrolled(
              ImmutableMap.of("u", u, "w", w, "b", b), () -> cell, inputs(random), Set.of());
        });
  }

  /**
   * A bidirectional run of two GRUs: a {@link Layer}, not a cell, checked over its parameters with
   * a loss over both directions' outputs and final states.
   */
  private static CellCase bidirectional() {
    return new CellCase(
        "bidirectional GRUs",
        () -> {
          Random random = new Random(35);
          Bidirectional<HiddenState> both =
              new Bidirectional<>(
                  GruCell.random(INPUT, HIDDEN, random), GruCell.random(INPUT, 2, random));
          Function<Var, Var> loss =
              xs -> {
                Recurrent.Unrolled<Bidirectional.States<HiddenState>> run = both.run(xs);
                return loss(
                    run.outputs(), List.of(run.finalState().forward(), run.finalState().reverse()));
              };
          Set<Class<?>> covered = new HashSet<>(cellClasses(both.forwardCell()));
          covered.add(Bidirectional.class);
          return new Subject(
              both.namedParameters(), loss, inputs(random), Set.copyOf(covered), Optional.empty());
        });
  }

  private static <S extends RecurrentState<S>> Subject unrolled(
      Map<String, Parameter> parameters,
      Supplier<? extends RecurrentCell<S>> cellPerEvaluation,
      Tensor inputs,
      Set<Class<?>> covered) {
    Function<Var, Var> loss =
        xs -> {
          Recurrent.Unrolled<S> run = new Recurrent<S>(cellPerEvaluation.get()).run(xs);
          return loss(run.outputs(), List.of(run.finalState()));
        };
    return new Subject(
        parameters, loss, inputs, covered, Optional.of(new CellRun<S>(cellPerEvaluation)));
  }

  /** {@code [batch, time, in]}, standard normal. */
  private static Tensor inputs(Random random) {
    return Tensor.randomNormal(Shape.of(BATCH, STEPS, INPUT), 0, 1, random);
  }

  /**
   * {@code Σ_t Σ (a_t ⊙ y_t + y_t²) + Σ_k Σ (b_k ⊙ s_k + s_k²)} over the outputs {@code y_t} and
   * every tensor {@code s_k} of the final states, with fixed weightings a, b drawn from seeds of
   * their own: every output and the whole final state reach the loss, nonlinearly (so that even a
   * linear cell has curvature in its inputs).
   */
  static Var loss(List<Var> outputs, List<?> finalStates) {
    Var total = Var.scalar(0);
    int salt = 0;
    for (Var output : outputs) {
      total = total.add(weighted(output, salt++));
    }
    for (Object state : finalStates) {
      for (Var part : stateVars(state)) {
        total = total.add(weighted(part, salt++));
      }
    }
    return total;
  }

  private static Var weighted(Var value, int salt) {
    Tensor weighting = Tensor.randomNormal(value.shape(), 0, 1, new Random(1000 + salt));
    return value.mul(Var.constant(weighting)).add(value.square()).sum();
  }

  /** Every tensor of a state, as the Vars of the run. */
  static List<Var> stateVars(Object state) {
    if (state instanceof HiddenState hidden) {
      return List.of(hidden.h());
    }
    if (state instanceof LstmState lstm) {
      return List.of(lstm.h(), lstm.c());
    }
    if (state instanceof SkipState skip) {
      return skip.recent();
    }
    if (state instanceof StackedState<?> stacked) {
      List<Var> all = new ArrayList<>();
      stacked.layers().forEach(layer -> all.addAll(stateVars(layer)));
      return all;
    }
    throw new IllegalArgumentException("a state of no known kind: " + state.getClass());
  }

  /** The classes of a cell and of the cells it runs: a stack's layers, a wrapper's cell. */
  static Set<Class<?>> cellClasses(RecurrentCell<?> cell) {
    Set<Class<?>> classes = new HashSet<>();
    classes.add(cell.getClass());
    if (cell instanceof StackedCell<?> stacked) {
      stacked.layers().forEach(layer -> classes.addAll(cellClasses(layer)));
    }
    if (cell instanceof VariationalDropout<?> dropout) {
      classes.addAll(cellClasses(dropout.cell()));
    }
    checkState(!classes.isEmpty());
    return Set.copyOf(classes);
  }
}

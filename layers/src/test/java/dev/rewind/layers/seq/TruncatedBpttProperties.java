package dev.rewind.layers.seq;

import static dev.rewind.layers.SequenceFixtures.assertClose;
import static dev.rewind.layers.SequenceFixtures.lengthMask;
import static dev.rewind.layers.SequenceFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Embedding;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Truncated BPTT: with a window covering the sequence it is exactly full BPTT; with shorter windows
 * it equals unrolling on one tape and detaching the state by hand at every window boundary.
 */
class TruncatedBpttProperties {

  /** A character model of random size: a tanh cell, a linear readout, softmax cross-entropy. */
  private static final class Model {
    final Parameter u;
    final Parameter w;
    final Parameter b;
    final Linear readout;
    final RecurrentCell<HiddenState> cell;
    final List<Parameter> parameters;
    final Tensor inputs;
    final Tensor mask;
    final int[][] targets;

    Model(long seed, int batch, int steps, int features, int hidden, boolean masked) {
      Random random = new Random(seed);
      u = new Parameter("U", normal(random, 0.7, features, hidden));
      w = new Parameter("W", normal(random, 0.7, hidden, hidden));
      b = new Parameter("b", normal(random, 0.3, hidden));
      readout = new Linear(hidden, 3, random);
      cell =
          RecurrentCell.of(features, hidden, (x, h) -> x.matmul(u).add(h.matmul(w)).add(b).tanh());
      parameters = List.of(u, w, b, readout.weight(), readout.bias());
      inputs = normal(random, 1, batch, steps, features);
      mask = masked ? lengthMask(random, batch, steps) : null;
      targets = ScenarioGradientProperties.targets(random, batch, steps, 3);
    }

    /** The summed cross-entropy of steps [start, end). */
    Var loss(Unrolled<HiddenState> window, int start, int end, Tensor windowMask) {
      int[][] windowTargets = new int[targets.length][];
      for (int row = 0; row < targets.length; row++) {
        windowTargets[row] = java.util.Arrays.copyOfRange(targets[row], start, end);
      }
      return Losses.softmaxCrossEntropy(
          readout.apply(window.stacked()), windowTargets, Reduction.SUM, windowMask);
    }

    TruncatedBptt.Result<HiddenState> truncated(int window) {
      return new TruncatedBptt<>(cell, window)
          .run(
              inputs,
              null,
              mask,
              parameters,
              part -> loss(part.unrolled(), part.start(), part.end(), part.mask()));
    }

    /** One tape over the whole sequence, the state detached by hand every {@code window} steps. */
    List<Tensor> detachedByHand(int window, List<Double> losses) {
      int steps = inputs.shape().dim(1);
      try (Tape tape = Tape.record()) {
        Var total = Var.scalar(0);
        HiddenState state = cell.initialState(inputs.shape().dim(0));
        for (int start = 0; start < steps; start += window) {
          int end = Math.min(steps, start + window);
          Tensor windowMask = mask == null ? null : Layout.slice(mask, 1, start, end);
          Unrolled<HiddenState> run =
              new Recurrent<>(cell)
                  .run(Var.constant(Layout.slice(inputs, 1, start, end)), state, windowMask);
          Var loss = loss(run, start, end, windowMask);
          losses.add(loss.value().item());
          total = total.add(loss);
          state = run.finalState().detach();
        }
        Gradients gradients = tape.gradient(total, parameters);
        return parameters.stream().map(gradients::tensor).toList();
      }
    }
  }

  @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
  void aWindowCoveringTheSequenceIsExactlyFullBptt(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 4) int hidden,
      @ForAll @IntRange(min = 0, max = 3) int extra,
      @ForAll boolean masked) {
    Model model = new Model(seed, batch, steps, features, hidden, masked);

    TruncatedBptt.Result<HiddenState> truncated = model.truncated(steps + extra);
    List<Tensor> full;
    double fullLoss;
    try (Tape tape = Tape.record()) {
      Unrolled<HiddenState> run =
          new Recurrent<>(model.cell).run(Var.constant(model.inputs), null, model.mask);
      Var loss = model.loss(run, 0, steps, model.mask);
      Gradients gradients = tape.gradient(loss, model.parameters);
      full = model.parameters.stream().map(gradients::tensor).toList();
      fullLoss = loss.value().item();
    }

    assertEquals(1, truncated.windowLosses().size());
    assertEquals(fullLoss, truncated.loss(), 1e-12 * Math.max(1, fullLoss));
    for (int i = 0; i < full.size(); i++) {
      assertClose(full.get(i), truncated.gradients().get(i), model.parameters.get(i).name());
    }
  }

  @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
  void shorterWindowsEqualDetachingByHand(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 2, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 4) int hidden,
      @ForAll @IntRange(min = 1, max = 7) int window,
      @ForAll boolean masked) {
    int k = Math.min(window, steps - 1);
    Model model = new Model(seed, batch, steps, features, hidden, masked);

    TruncatedBptt.Result<HiddenState> truncated = model.truncated(k);
    List<Double> losses = new ArrayList<>();
    List<Tensor> byHand = model.detachedByHand(k, losses);

    assertEquals((steps + k - 1) / k, truncated.windowLosses().size());
    for (int i = 0; i < losses.size(); i++) {
      assertEquals(
          losses.get(i), truncated.windowLosses().get(i), 1e-12 * Math.max(1, losses.get(i)));
    }
    for (int i = 0; i < byHand.size(); i++) {
      assertClose(byHand.get(i), truncated.gradients().get(i), model.parameters.get(i).name());
      assertClose(byHand.get(i), truncated.gradient(model.parameters.get(i)), "by identity");
    }
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void truncationChangesTheGradientOfTheRecurrentWeights(
      @ForAll long seed, @ForAll @IntRange(min = 3, max = 8) int steps) {
    Model model = new Model(seed, 2, steps, 2, 3, false);

    Tensor full = model.truncated(steps).gradient(model.w);
    Tensor truncated = model.truncated(1).gradient(model.w);

    // With windows of one step nothing flows through W h(t−1) into an earlier step, so the two
    // differ unless the gradient happens to vanish.
    double difference = 0;
    for (int i = 0; i < full.size(); i++) {
      difference = Math.max(difference, Math.abs(full.getFlat(i) - truncated.getFlat(i)));
    }
    org.junit.jupiter.api.Assertions.assertTrue(difference > 1e-9, "no difference");
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void windowsRunInOrderAndAListenerCanStepTheParametersBetweenThem(
      @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 4) int window) {
    double learningRate = 0.1;
    Model driven = new Model(seed, 2, steps, 2, 3, false);
    Model manual = new Model(seed, 2, steps, 2, 3, false);
    List<int[]> windows = new ArrayList<>();

    TruncatedBptt.Result<HiddenState> result =
        new TruncatedBptt<>(driven.cell, window)
            .run(
                steps,
                (start, end) -> Var.constant(Layout.slice(driven.inputs, 1, start, end)),
                null,
                null,
                driven.parameters,
                part -> driven.loss(part.unrolled(), part.start(), part.end(), part.mask()),
                (part, loss, gradients) -> {
                  windows.add(new int[] {part.start(), part.end()});
                  sgd(driven.parameters, gradients, learningRate);
                });

    HiddenState state = null;
    for (int start = 0, i = 0; start < steps; start += window, i++) {
      int end = Math.min(steps, start + window);
      assertEquals(start, windows.get(i)[0]);
      assertEquals(end, windows.get(i)[1]);
      List<Tensor> gradients;
      try (Tape tape = Tape.record()) {
        Unrolled<HiddenState> run =
            new Recurrent<>(manual.cell)
                .run(Var.constant(Layout.slice(manual.inputs, 1, start, end)), state, null);
        Var loss = manual.loss(run, start, end, null);
        assertEquals(loss.value().item(), result.windowLosses().get(i), 1e-12);
        Gradients all = tape.gradient(loss, manual.parameters);
        gradients = manual.parameters.stream().map(all::tensor).toList();
        state = run.finalState().detach();
      }
      sgd(manual.parameters, gradients, learningRate);
    }
    assertEquals((steps + window - 1) / window, windows.size());
    for (int i = 0; i < manual.parameters.size(); i++) {
      assertClose(
          manual.parameters.get(i).value(), driven.parameters.get(i).value(), "after training");
    }
    assertClose(state.h().value(), result.finalState().h().value(), "final state");
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void windowInputsComputedOnTheTapeGetTheirGradients(
      @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 4) int window) {
    Random random = new Random(seed);
    int vocabulary = 4;
    Embedding embedding = new Embedding(vocabulary, 2, random);
    Model model = new Model(seed, 2, steps, 2, 3, false);
    int[][] tokens = ScenarioGradientProperties.targets(random, 2, steps, vocabulary);
    List<Parameter> parameters = new ArrayList<>(model.parameters);
    parameters.add(embedding.weight());

    TruncatedBptt.Result<HiddenState> result =
        new TruncatedBptt<>(model.cell, window)
            .run(
                steps,
                (start, end) -> embedding.apply(slice(tokens, start, end)),
                null,
                null,
                parameters,
                part -> model.loss(part.unrolled(), part.start(), part.end(), part.mask()),
                (part, loss, gradients) -> {});

    Tensor expected = Tensor.zeros(embedding.weight().shape());
    HiddenState state = null;
    for (int start = 0; start < steps; start += window) {
      int end = Math.min(steps, start + window);
      try (Tape tape = Tape.record()) {
        Unrolled<HiddenState> run =
            new Recurrent<>(model.cell)
                .run(embedding.apply(slice(tokens, start, end)), state, null);
        Var loss = model.loss(run, start, end, null);
        expected =
            Pointwise.add(
                expected, tape.gradient(loss, embedding.weight()).tensor(embedding.weight()));
        state = run.finalState().detach();
      }
    }
    assertClose(expected, result.gradient(embedding.weight()), "embedding table");
  }

  private static int[][] slice(int[][] tokens, int start, int end) {
    int[][] window = new int[tokens.length][];
    for (int row = 0; row < tokens.length; row++) {
      window[row] = java.util.Arrays.copyOfRange(tokens[row], start, end);
    }
    return window;
  }

  private static void sgd(List<Parameter> parameters, List<Tensor> gradients, double rate) {
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      p.assign(Pointwise.sub(p.value(), Pointwise.scale(gradients.get(i), rate)));
    }
  }
}

package dev.rewind.train;

import static dev.rewind.layers.SequenceFixtures.lengthMask;
import static dev.rewind.layers.SequenceFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Embedding;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Truncated BPTT in the {@link Trainer}: with a window covering the sequence it is exactly full
 * BPTT; with shorter windows the windows' gradients sum to those of unrolling on one tape and
 * detaching the state by hand at every window boundary, and the optimizer steps between windows.
 */
class TruncationProperties {
  private static final double EXACT = 1e-12;

  /** A character model of random size: a tanh cell, a linear readout, softmax cross-entropy. */
  private static final class Model extends Layer {
    final Parameter u;
    final Parameter w;
    final Parameter b;
    final Linear readout;
    final RecurrentCell<HiddenState> cell;
    final Tensor inputs;
    final Tensor mask;
    final int[][] targets;

    Model(long seed, int batch, int steps, int features, int hidden, boolean masked) {
      Random random = new Random(seed);
      u = parameter("U", normal(random, 0.7, features, hidden));
      w = parameter("W", normal(random, 0.7, hidden, hidden));
      b = parameter("b", normal(random, 0.3, hidden));
      readout = child("readout", new Linear(hidden, 3, random));
      cell =
          RecurrentCell.of(features, hidden, (x, h) -> x.matmul(u).add(h.matmul(w)).add(b).tanh());
      inputs = normal(random, 1, batch, steps, features);
      mask = masked ? lengthMask(random, batch, steps) : null;
      targets = indices(random, batch, steps, 3);
    }

    /** The summed cross-entropy of a window's steps. */
    Var loss(Unrolled<HiddenState> window, int[][] windowTargets, Tensor windowMask) {
      return Losses.softmaxCrossEntropy(
          readout.apply(window.stacked()), windowTargets, Reduction.SUM, windowMask);
    }

    TrainingStep<HiddenState> step() {
      return (batch, state, random) -> {
        Unrolled<HiddenState> run =
            new Recurrent<>(cell).run(Var.constant(batch.inputs()), state, batch.mask());
        return StepResult.of(loss(run, batch.targetIndices(), batch.mask()), run.finalState());
      };
    }

    Batch batch() {
      return new Batch(inputs, tensor(targets), mask, false);
    }

    /** One batch, windows of {@code window} steps, {@code optimizer}; the step events in order. */
    List<StepEvent> train(int window, Optimizer optimizer) {
      List<StepEvent> events = new ArrayList<>();
      Trainer<HiddenState> trainer =
          Trainer.builder(this, optimizer, inputs.shape().dim(0), cell::initialState)
              .source(position -> batch())
              .step(step())
              .truncate(window)
              .listener(
                  new TrainingListener() {
                    @Override
                    public void onStep(StepEvent event) {
                      events.add(event);
                    }
                  })
              .build();
      int steps = inputs.shape().dim(1);
      trainer.fit((steps + window - 1) / window);
      assertEquals(1, trainer.position(), "the batch was read to its end");
      return events;
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
          Var loss = loss(run, slice(targets, start, end), windowMask);
          losses.add(loss.value().item());
          total = total.add(loss);
          state = run.finalState().detach();
        }
        Gradients gradients = tape.gradient(total, parameters());
        return parameters().stream().map(gradients::tensor).toList();
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
    RecordingOptimizer recorder = new RecordingOptimizer(model.parameters());

    List<StepEvent> events = model.train(steps + extra, recorder);
    List<Tensor> full;
    double fullLoss;
    try (Tape tape = Tape.record()) {
      Unrolled<HiddenState> run =
          new Recurrent<>(model.cell).run(Var.constant(model.inputs), null, model.mask);
      Var loss = model.loss(run, model.targets, model.mask);
      Gradients gradients = tape.gradient(loss, model.parameters());
      full = model.parameters().stream().map(gradients::tensor).toList();
      fullLoss = loss.value().item();
    }

    assertEquals(1, events.size());
    assertEquals(fullLoss, events.get(0).loss(), EXACT * Math.max(1, fullLoss));
    for (int i = 0; i < full.size(); i++) {
      Parameter parameter = model.parameters().get(i);
      assertClose(full.get(i), recorder.summed(parameter), parameter.name());
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
    RecordingOptimizer recorder = new RecordingOptimizer(model.parameters());

    List<StepEvent> events = model.train(k, recorder);
    List<Double> losses = new ArrayList<>();
    List<Tensor> byHand = model.detachedByHand(k, losses);

    assertEquals((steps + k - 1) / k, events.size());
    for (int i = 0; i < losses.size(); i++) {
      assertEquals(losses.get(i), events.get(i).loss(), EXACT * Math.max(1, losses.get(i)));
    }
    for (int i = 0; i < byHand.size(); i++) {
      Parameter parameter = model.parameters().get(i);
      assertClose(byHand.get(i), recorder.summed(parameter), parameter.name());
    }
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void truncationChangesTheGradientOfTheRecurrentWeights(
      @ForAll long seed, @ForAll @IntRange(min = 3, max = 8) int steps) {
    Model model = new Model(seed, 2, steps, 2, 3, false);
    RecordingOptimizer full = new RecordingOptimizer(model.parameters());
    RecordingOptimizer truncated = new RecordingOptimizer(model.parameters());

    List<StepEvent> unused = model.train(steps, full);
    List<StepEvent> alsoUnused = model.train(1, truncated);

    // With windows of one step nothing flows through W h(t−1) into an earlier step, so the two
    // differ unless the gradient happens to vanish.
    Tensor difference = Pointwise.sub(full.summed(model.w), truncated.summed(model.w));
    double largest = 0;
    for (int i = 0; i < difference.size(); i++) {
      largest = Math.max(largest, Math.abs(difference.getFlat(i)));
    }
    assertTrue(largest > 1e-9, "no difference");
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void windowsRunInOrderAndTheOptimizerStepsBetweenThem(
      @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 4) int window) {
    double learningRate = 0.1;
    Model driven = new Model(seed, 2, steps, 2, 3, false);
    Model manual = new Model(seed, 2, steps, 2, 3, false);

    List<StepEvent> events =
        driven.train(window, Sgd.builder(driven.parameters()).learningRate(learningRate).build());

    HiddenState state = null;
    int i = 0;
    for (int start = 0; start < steps; start += window, i++) {
      int end = Math.min(steps, start + window);
      List<Tensor> gradients;
      try (Tape tape = Tape.record()) {
        Unrolled<HiddenState> run =
            new Recurrent<>(manual.cell)
                .run(Var.constant(Layout.slice(manual.inputs, 1, start, end)), state, null);
        Var loss = manual.loss(run, slice(manual.targets, start, end), null);
        assertEquals(loss.value().item(), events.get(i).loss(), EXACT);
        assertEquals((long) 2 * (end - start), events.get(i).size());
        Gradients all = tape.gradient(loss, manual.parameters());
        gradients = manual.parameters().stream().map(all::tensor).toList();
        state = run.finalState().detach();
      }
      for (int p = 0; p < gradients.size(); p++) {
        Parameter parameter = manual.parameters().get(p);
        parameter.assign(
            Pointwise.sub(parameter.value(), Pointwise.scale(gradients.get(p), learningRate)));
      }
    }
    assertEquals(i, events.size());
    for (int p = 0; p < manual.parameters().size(); p++) {
      assertClose(
          manual.parameters().get(p).value(), driven.parameters().get(p).value(), "after training");
    }
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void inputsComputedOnTheTapeGetTheirGradients(
      @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 4) int window) {
    Random random = new Random(seed);
    int vocabulary = 4;
    Model model = new Model(seed, 2, steps, 2, 3, false);
    Embedding embedding = new Embedding(vocabulary, 2, random);
    int[][] tokens = indices(random, 2, steps, vocabulary);
    Layer both = new Pair(model, embedding);
    RecordingOptimizer recorder = new RecordingOptimizer(both.parameters());

    Trainer<HiddenState> trainer =
        Trainer.builder(both, recorder, 2, model.cell::initialState)
            .source(position -> new Batch(tensor(tokens), tensor(model.targets), null, false))
            .step(
                (batch, state, generator) -> {
                  Unrolled<HiddenState> run =
                      new Recurrent<>(model.cell)
                          .run(embedding.apply(batch.inputIndices()), state, null);
                  return StepResult.of(
                      model.loss(run, batch.targetIndices(), null), run.finalState());
                })
            .truncate(window)
            .build();
    FitResult unused = trainer.fit((steps + window - 1) / window);

    Tensor expected = Tensor.zeros(embedding.weight().shape());
    HiddenState state = null;
    for (int start = 0; start < steps; start += window) {
      int end = Math.min(steps, start + window);
      try (Tape tape = Tape.record()) {
        Unrolled<HiddenState> run =
            new Recurrent<>(model.cell)
                .run(embedding.apply(slice(tokens, start, end)), state, null);
        Var loss = model.loss(run, slice(model.targets, start, end), null);
        expected =
            Pointwise.add(
                expected, tape.gradient(loss, embedding.weight()).tensor(embedding.weight()));
        state = run.finalState().detach();
      }
    }
    assertClose(expected, recorder.summed(embedding.weight()), "embedding table");
  }

  /** Two layers trained together. */
  private static final class Pair extends Layer {
    Pair(Layer first, Layer second) {
      child("model", first);
      child("embedding", second);
    }
  }

  private static int[][] indices(Random random, int batch, int steps, int classes) {
    int[][] indices = new int[batch][];
    for (int row = 0; row < batch; row++) {
      indices[row] = random.ints(steps, 0, classes).toArray();
    }
    return indices;
  }

  private static Tensor tensor(int[][] indices) {
    return Batch.indexTensor(indices);
  }

  private static int[][] slice(int[][] sequences, int start, int end) {
    int[][] window = new int[sequences.length][];
    for (int row = 0; row < sequences.length; row++) {
      window[row] = Arrays.copyOfRange(sequences[row], start, end);
    }
    return window;
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.shape(), actual.shape(), what);
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.getFlat(i);
      double a = actual.getFlat(i);
      assertTrue(
          Math.abs(e - a) <= EXACT * Math.max(1, Math.abs(e)),
          what + " at flat position " + i + ": expected " + e + " but was " + a);
    }
  }
}

package dev.rewind.autodiff.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.sun.management.ThreadMXBean;
import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Tape#recordRecycling()}: the same bits as a plain tape step after step, values that are
 * read or handed out stay as they were while later tapes reuse arrays, values that were not throw
 * when read, and a loop allocates a fraction of what it does with a plain tape.
 */
class RecyclingTapeTest {

  /** The step of {@link Model}: composed of generic ops, or one of the fused ones. */
  enum Cell {
    COMPOSED_TANH(1),
    FUSED_TANH(1),
    LSTM(4),
    GRU(3);

    final int gates;

    Cell(int gates) {
      this.gates = gates;
    }
  }

  /**
   * A small recurrent model: a {@link Cell} unrolled, its state split and joined again (a slice and
   * a concat), a log-softmax loss per step.
   */
  private static final class Model {
    final Cell cell;
    final Parameter w;
    final Parameter u;
    final Parameter b;
    final Var[] inputs;
    final int[] targets;
    final int batch;
    final int hidden;
    // Whether each step is a recomputed segment, as a checkpointed unroll's are.
    boolean checkpointed;

    Model(int batch, int hidden, int steps, long seed, DType dtype) {
      this(Cell.COMPOSED_TANH, batch, hidden, steps, seed, dtype);
    }

    Model(Cell cell, int batch, int hidden, int steps, long seed, DType dtype) {
      Random random = new Random(seed);
      this.cell = cell;
      this.batch = batch;
      this.hidden = hidden;
      Shape weight = Shape.of(hidden, cell.gates * hidden);
      w = new Parameter("w", Tensor.randomNormal(weight, 0, 0.3, random).to(dtype));
      u = new Parameter("u", Tensor.randomNormal(weight, 0, 0.3, random).to(dtype));
      b =
          new Parameter(
              "b", Tensor.randomNormal(Shape.of(cell.gates * hidden), 0, 0.1, random).to(dtype));
      inputs = new Var[steps];
      for (int t = 0; t < steps; t++) {
        inputs[t] =
            Var.constant(Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random).to(dtype));
      }
      targets = new int[batch];
      for (int i = 0; i < batch; i++) {
        targets[i] = random.nextInt(hidden);
      }
    }

    List<Parameter> parameters() {
      return List.of(w, u, b);
    }

    /** The mean loss over the steps and the last hidden state. */
    Var[] lossAndState(Var start) {
      Var h = start;
      Var c = zeros(batch, hidden, start.dtype());
      Var loss = null;
      for (Var x : inputs) {
        Var[] next;
        if (checkpointed) {
          Var hIn = h;
          Var cIn = c;
          next = Recompute.segment(() -> List.of(cellStep(x, hIn, cIn))).toArray(Var[]::new);
        } else {
          next = cellStep(x, h, c);
        }
        h = next[0];
        c = next[1];
        int half = hidden / 2;
        h = Var.concat(1, h.slice(1, 0, half), h.slice(1, half, hidden));
        Var picked = Var.oneHot(targets, hidden).to(h.dtype()).mul(h.logSoftmax(1)).sum();
        loss = loss == null ? picked : loss.add(picked);
      }
      return new Var[] {loss.mul(-1.0 / inputs.length), h};
    }

    /** One step of the cell: the next state and memory (the memory unchanged but for an LSTM). */
    Var[] cellStep(Var x, Var h, Var c) {
      switch (cell) {
        case COMPOSED_TANH:
          return new Var[] {x.matmul(u).add(h.matmul(w)).add(b).tanh(), c};
        case FUSED_TANH:
          return new Var[] {FusedSteps.rnnTanhCell(x, h, u, w, b), c};
        case LSTM:
          return FusedSteps.lstmGates(FusedSteps.recurrentAffine(x, h, u, w, b), c)
              .toArray(Var[]::new);
        default:
          return new Var[] {FusedSteps.gruGates(x.matmul(u).add(b), h.matmul(w), h), c};
      }
    }

    /** One SGD step on the tape {@code open} makes; returns the loss and the state, detached. */
    @CanIgnoreReturnValue
    double[] step(Supplier<Tape> open, Var[] state) {
      try (Tape tape = open.get()) {
        Var[] result = lossAndState(state[0]);
        Gradients gradients = tape.gradient(result[0], parameters());
        for (Parameter p : parameters()) {
          Tensor g = gradients.tensor(p);
          p.assign(Pointwise.sub(p.value(), Pointwise.scale(g, 0.1)));
        }
        state[0] = result[1].detach();
        return new double[] {result[0].value().item()};
      }
    }
  }

  private static Var zeros(int batch, int hidden, DType dtype) {
    return Var.constant(Tensor.zeros(Shape.of(batch, hidden), dtype));
  }

  @Property(tries = 20)
  void trainsToTheSameBitsAsAPlainTape(
      @ForAll @IntRange(min = 8, max = 17) int batch,
      @ForAll @IntRange(min = 32, max = 48) int hidden,
      @ForAll @IntRange(min = 1, max = 6) int steps,
      @ForAll long seed,
      @ForAll DType dtype,
      @ForAll Cell cell) {
    Model plain = new Model(cell, batch, hidden, steps, seed, dtype);
    Model recycled = new Model(cell, batch, hidden, steps, seed, dtype);
    Var[] plainState = {zeros(batch, hidden, dtype)};
    Var[] recycledState = {zeros(batch, hidden, dtype)};

    for (int i = 0; i < 4; i++) {
      double[] plainLoss = plain.step(Tape::record, plainState);
      double[] recycledLoss = recycled.step(Tape::recordRecycling, recycledState);

      assertArrayEquals(plainLoss, recycledLoss, 0.0);
      assertArrayEquals(
          plainState[0].value().toArray(), recycledState[0].value().toArray(), 0.0, "state");
      for (int p = 0; p < 3; p++) {
        assertArrayEquals(
            plain.parameters().get(p).value().toArray(),
            recycled.parameters().get(p).value().toArray(),
            0.0,
            plain.parameters().get(p).name());
      }
    }
  }

  @Property(tries = 8)
  void aCheckpointedUnrollTrainsToTheSameBitsAsOnAPlainTape(
      @ForAll @IntRange(min = 2, max = 5) int steps, @ForAll long seed, @ForAll Cell cell) {
    Model plain = new Model(cell, 16, 32, steps, seed, DType.FLOAT64);
    Model recycled = new Model(cell, 16, 32, steps, seed, DType.FLOAT64);
    plain.checkpointed = true;
    recycled.checkpointed = true;
    Var[] plainState = {zeros(16, 32, DType.FLOAT64)};
    Var[] recycledState = {zeros(16, 32, DType.FLOAT64)};

    for (int i = 0; i < 3; i++) {
      assertArrayEquals(
          plain.step(Tape::record, plainState),
          recycled.step(Tape::recordRecycling, recycledState),
          0.0);
    }
    for (int p = 0; p < 3; p++) {
      assertArrayEquals(
          plain.parameters().get(p).value().toArray(),
          recycled.parameters().get(p).value().toArray(),
          0.0);
    }
  }

  @Test
  void whatWasReadOrHandedOutSurvivesLaterTapesReusingArrays() {
    Model model = new Model(16, 32, 4, 7, DType.FLOAT64);
    Var start = zeros(16, 32, DType.FLOAT64);
    Var loss;
    Var h;
    Tensor gradient;
    double[] lossThen;
    double[] hThen;
    try (Tape tape = Tape.recordRecycling()) {
      Var[] result = model.lossAndState(start);
      loss = result[0];
      h = result[1];
      gradient = tape.gradient(loss, model.w).tensor(model.w);
      // Read while the tape is open: kept.
      lossThen = loss.value().toArray();
      hThen = h.value().toArray();
    }
    double[] gradientThen = gradient.toArray();

    for (int i = 0; i < 5; i++) {
      try (Tape tape = Tape.recordRecycling()) {
        Var[] result = model.lossAndState(zeros(16, 32, DType.FLOAT64));
        Gradients unused = tape.gradient(result[0], model.parameters());
      }
    }

    assertArrayEquals(lossThen, loss.value().toArray(), 0.0);
    assertArrayEquals(hThen, h.value().toArray(), 0.0);
    assertArrayEquals(gradientThen, gradient.toArray(), 0.0);
  }

  @Test
  void aValueNeverReadCannotBeReadOnceTheTapeHasClosed() {
    Model model = new Model(16, 32, 2, 3, DType.FLOAT64);
    Var h;
    Var loss;
    try (Tape tape = Tape.recordRecycling()) {
      Var[] result = model.lossAndState(zeros(16, 32, DType.FLOAT64));
      h = result[1];
      loss = result[0];
      Gradients unused = tape.gradient(result[0], model.parameters());
    }

    // Small values too, whose arrays the heap gives more cheaply than a loan: the rule is one.
    assertThrows(IllegalStateException.class, loss::value);
    IllegalStateException e = assertThrows(IllegalStateException.class, h::value);
    assertTrue(
        e.getMessage().contains("this [16, 32] value was computed on a tape made with")
            && e.getMessage().contains("read it with value() before the tape closes"),
        e.getMessage());
    // Nor can the next tape compute from it.
    try (Tape tape = Tape.recordRecycling()) {
      assertThrows(IllegalStateException.class, () -> h.matmul(model.u));
    }
    assertEquals(h.shape(), Shape.of(16, 32));
  }

  @Test
  void aStateDetachedBeforeTheTapeClosesCarriesIntoTheNext() {
    Model plain = new Model(16, 32, 3, 11, DType.FLOAT32);
    Model recycled = new Model(16, 32, 3, 11, DType.FLOAT32);
    Var[] plainState = {zeros(16, 32, DType.FLOAT32)};
    Var[] recycledState = {zeros(16, 32, DType.FLOAT32)};

    for (int i = 0; i < 3; i++) {
      plain.step(Tape::record, plainState);
      recycled.step(Tape::recordRecycling, recycledState);
    }

    assertArrayEquals(plainState[0].value().toArray(), recycledState[0].value().toArray(), 0.0);
  }

  @Test
  void aTapeBesideAnotherOrHandingOutItsOpsTakesNothingBack() {
    Model model = new Model(16, 32, 2, 5, DType.FLOAT64);
    List<Var> states = new ArrayList<>();
    try (Tape outer = Tape.record()) {
      try (Tape inner = Tape.recordRecycling()) {
        states.add(model.lossAndState(zeros(16, 32, DType.FLOAT64))[1]);
      }
    }
    try (Tape tape = Tape.recordRecycling()) {
      states.add(model.lossAndState(zeros(16, 32, DType.FLOAT64))[1]);
      List<Op> handedOut = tape.recorded();
    }
    try (Tape tape = Tape.recordRecycling()) {
      try (Tape.NoGradScope noGrad = Tape.noGrad()) {
        states.add(model.lossAndState(zeros(16, 32, DType.FLOAT64))[1]);
      }
    }

    for (int i = 0; i < 3; i++) {
      try (Tape tape = Tape.recordRecycling()) {
        Var[] result = model.lossAndState(zeros(16, 32, DType.FLOAT64));
        Gradients unused = tape.gradient(result[0], model.parameters());
      }
    }
    Tensor expected = states.get(0).value();
    for (Var state : states) {
      assertEquals(expected, state.value());
    }
  }

  @Test
  void aForwardPassReusesTheArraysOfThePreviousOne() {
    long plain = bytesPerForward(Tape::record);
    long recycled = bytesPerForward(Tape::recordRecycling);

    // What is left is the small objects (values, ops, shapes) and the arrays of the values read.
    assertTrue(recycled < plain / 4, recycled + " bytes a forward pass against " + plain);
  }

  /** The bytes one recorded forward pass of the model allocates, in a loop, after a warm-up. */
  private static long bytesPerForward(Supplier<Tape> open) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Model model = new Model(Cell.LSTM, 32, 64, 16, 13, DType.FLOAT64);
    Var start = zeros(32, 64, DType.FLOAT64);
    double sum = 0;
    long before = 0;
    int warmUp = 5;
    int passes = 10;
    for (int i = 0; i < warmUp + passes; i++) {
      if (i == warmUp) {
        before = threads.getCurrentThreadAllocatedBytes();
      }
      try (Tape tape = open.get()) {
        sum += model.lossAndState(start)[0].value().item();
      }
    }
    long bytes = (threads.getCurrentThreadAllocatedBytes() - before) / passes;
    assertTrue(Double.isFinite(sum));
    return bytes;
  }
}

package dev.rewind.autodiff.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A recomputed segment gives the plain tape's gradients to the bit, for every way of cutting a
 * sequence into segments, with dropout inside; keeps one node per segment; replays its random
 * draws; and refuses what it cannot do (gradients of gradients, a segment inside a segment, a
 * second run that computes other values) with a message saying so.
 */
class RecomputeTest {
  private static final int BATCH = 2;
  private static final int STEPS = 7;

  /**
   * A small recurrent network over {@code STEPS} steps whose state is the last two hidden vectors
   * (so a segment passes a value it read on to the next one), with dropout on each output.
   */
  private static final class Network {
    final Parameter u = parameter("u", Shape.of(2, 3), 1);
    final Parameter w = parameter("w", Shape.of(3, 3), 2);
    final Parameter b = parameter("b", Shape.of(3), 3);
    final Parameter v = parameter("v", Shape.of(3, 2), 4);
    final Parameter scale = parameter("scale", Shape.of(2), 5);
    final Var inputs = Var.constant(Tensor.randomNormal(Shape.of(BATCH, STEPS, 2), 0, 1, rng(6)));
    final Var h0 = Var.constant(Tensor.randomNormal(Shape.of(BATCH, 3), 0, 1, rng(7)));
    final Var previous0 = Var.constant(Tensor.randomNormal(Shape.of(BATCH, 3), 0, 1, rng(8)));

    List<Var> wanted() {
      return List.of(u, w, b, v, scale, inputs, h0, previous0);
    }

    /** The loss, with segments of {@code every} steps recomputed, or none when 0. */
    Var loss(int every) {
      Random dropout = rng(9);
      Var scaled = inputs.mul(scale);
      List<Var> outputs = new ArrayList<>();
      Var h = h0;
      Var previous = previous0;
      for (int start = 0; start < STEPS; start += every == 0 ? STEPS : every) {
        int end = every == 0 ? STEPS : Math.min(STEPS, start + every);
        Var from = h;
        Var fromPrevious = previous;
        int first = start;
        List<Var> segment =
            every == 0
                ? steps(scaled, first, end, from, fromPrevious, dropout)
                : Recompute.segment(() -> steps(scaled, first, end, from, fromPrevious, dropout));
        outputs.addAll(segment.subList(0, end - start));
        h = segment.get(end - start);
        previous = segment.get(end - start + 1);
      }
      Var loss = h.square().sum().add(previous.sum());
      for (Var output : outputs) {
        loss = loss.add(output.square().sum());
      }
      return loss;
    }

    /** Steps {@code [start, end)}: their outputs, then h and the h before it. */
    private List<Var> steps(Var xs, int start, int end, Var h, Var previous, Random dropout) {
      List<Var> values = new ArrayList<>();
      for (int t = start; t < end; t++) {
        Var next = xs.select(1, t).matmul(u).add(h.matmul(w)).add(previous.mul(Var.scalar(0.5)));
        previous = h;
        h = next.add(b).tanh();
        values.add(h.matmul(v).dropout(0.3, true, dropout));
      }
      values.add(h);
      values.add(previous);
      return values;
    }
  }

  private static Parameter parameter(String name, Shape shape, long seed) {
    return new Parameter(name, Tensor.randomNormal(shape, 0, 0.5, rng(seed)));
  }

  private static Random rng(long seed) {
    return new Random(seed);
  }

  private static List<Tensor> gradients(Network network, int every) {
    try (Tape tape = Tape.record()) {
      Gradients gradients = tape.gradient(network.loss(every), network.wanted());
      return network.wanted().stream().map(gradients::tensor).toList();
    }
  }

  @Test
  void gradientsAreThePlainTapesToTheBitForEverySegmentLength() {
    Network network = new Network();
    List<Tensor> plain = gradients(network, 0);
    for (int every = 1; every <= STEPS; every++) {
      assertEquals(plain, gradients(network, every), "segments of " + every + " steps");
    }
  }

  @Test
  void valuesAreThePlainRunsAndTheGeneratorEndsWhereItWould() {
    Network network = new Network();
    try (Tape tape = Tape.record()) {
      assertEquals(network.loss(0).value(), network.loss(3).value());
    }
    try (Tape.NoGradScope noGrad = Tape.noGrad()) {
      assertEquals(network.loss(0).value(), network.loss(3).value());
    }
  }

  @Test
  void eachSegmentIsOneNode() {
    Network network = new Network();
    int plain;
    try (Tape tape = Tape.record()) {
      var unused = network.loss(0);
      plain = tape.size();
    }
    try (Tape tape = Tape.record()) {
      var unused = network.loss(STEPS);
      // the scaled inputs, one segment, and the loss's ops: 2 + 2 + 3 per output
      assertEquals(1 + 1 + 4 + 3 * STEPS, tape.size());
      assertTrue(tape.size() < plain, tape.size() + " nodes, plain " + plain);
    }
  }

  @Test
  void aValueListedTwiceIsOneOutputAndAValueReadIsPassedOn() {
    Var x = Var.constant(Tensor.vector(1, 2));
    try (Tape tape = Tape.record()) {
      Var y = x.mul(Var.scalar(2));
      List<Var> values =
          Recompute.segment(
              () -> {
                Var z = y.tanh();
                return List.of(z, y, z);
              });
      assertSame(values.get(0), values.get(2));
      assertSame(y, values.get(1));
      assertEquals(2, tape.size());
      Gradients gradients = tape.gradient(values.get(0).sum().add(values.get(2).sum()), x);
      Var plain = y.tanh();
      assertEquals(tape.gradient(plain.sum().add(plain.sum()), x).tensor(x), gradients.tensor(x));
    }
  }

  @Test
  void aSecondGradientReplaysTheSameDraws() {
    Network network = new Network();
    try (Tape tape = Tape.record()) {
      Var loss = network.loss(2);
      Gradients first = tape.gradient(loss, network.wanted());
      Gradients second = tape.gradient(loss, network.wanted());
      for (Var x : network.wanted()) {
        assertEquals(first.tensor(x), second.tensor(x));
      }
    }
  }

  @Test
  void anomalyModeChecksTheSegmentsOpsForwardAndBackward() {
    Var zeroAndFour = Var.constant(Tensor.vector(0, 4));
    try (Tape tape = Tape.recordDetectingAnomalies()) {
      AnomalyException forward =
          assertThrows(
              AnomalyException.class,
              () -> Recompute.segment(() -> List.of(zeroAndFour.log().exp())));
      assertTrue(
          forward.getMessage().startsWith("anomaly: log produced Inf"), forward.getMessage());

      Var y = Recompute.segment(() -> List.of(zeroAndFour.sqrt().mul(Var.scalar(2)))).get(0);
      AnomalyException backward =
          assertThrows(AnomalyException.class, () -> tape.gradient(y.sum(), zeroAndFour));
      assertTrue(
          backward.getMessage().startsWith("anomaly: the backward pass of sqrt produced Inf"),
          backward.getMessage());
      assertTrue(
          backward.getMessage().contains(RecomputeTest.class.getSimpleName()),
          backward.getMessage());
    }
  }

  @Test
  void gradientsOfGradientsAreRefused() {
    Parameter w = parameter("w", Shape.of(2), 1);
    try (Tape outer = Tape.record();
        Tape inner = Tape.record()) {
      Var y = Recompute.segment(() -> List.of(w.tanh())).get(0).sum();
      IllegalStateException error =
          assertThrows(IllegalStateException.class, () -> inner.gradient(y, w));
      assertEquals(
          "recompute: gradients of gradients (a backward pass recorded on an outer tape) do not go"
              + " through a recomputed segment; compute them without recomputation",
          error.getMessage());
    }
  }

  @Test
  void aSegmentInsideASegmentIsRefused() {
    Parameter w = parameter("w", Shape.of(2), 1);
    try (Tape tape = Tape.record()) {
      IllegalStateException error =
          assertThrows(
              IllegalStateException.class,
              () -> Recompute.segment(() -> Recompute.segment(() -> List.of(w.tanh()))));
      assertEquals(
          "recompute: a segment cannot be recomputed inside another recomputed segment",
          error.getMessage());
      // The tape records again after the refusal.
      var unused = w.tanh();
      assertEquals(1, tape.size());
    }
  }

  @Test
  void aSecondRunThatComputesOtherValuesIsAnError() {
    Parameter w = parameter("w", Shape.of(2), 1);
    Random unrecorded = rng(2);
    try (Tape tape = Tape.record()) {
      Var y =
          Recompute.segment(
                  () -> List.of(w.mul(Var.constant(Tensor.vector(unrecorded.nextDouble(), 1)))))
              .get(0)
              .sum();
      IllegalStateException error =
          assertThrows(IllegalStateException.class, () -> tape.gradient(y, w));
      assertTrue(
          error.getMessage().startsWith("recompute: the segment computed other values when run"),
          error.getMessage());
    }
  }
}

package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkArgument;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.ops.rnn.LstmGates;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An op with several outputs is one node on the tape: each output is a value of its own, as {@code
 * y} or as a wanted {@code x}; its backward sees null for an output no gradient reached; graphs and
 * anomaly reports name it; and both backward passes, recorded and in place, agree.
 */
class MultiOutputOpTest {
  private final Var x = Var.constant(Tensor.vector(1, 2, 3));
  private final Var y = Var.constant(Tensor.vector(5, 7, 11));

  /** {@code (x + y, x − y)}; remembers which output gradients its backward received. */
  static final class SumAndDifference extends MultiOutputOp {
    final List<Boolean> reached = new ArrayList<>();

    @Override
    protected void checkInputs(Shape... shapes) {
      Arity.check(name(), 2, shapes);
      checkArgument(shapes[0].equals(shapes[1]), "%s: %s and %s", name(), shapes[0], shapes[1]);
    }

    @Override
    protected Tensor[] forwardAll(Tensor... in) {
      return new Tensor[] {Pointwise.add(in[0], in[1]), Pointwise.sub(in[0], in[1])};
    }

    @Override
    protected Var[] backwardAll(Var... gradOutputs) {
      Var sum = gradOutputs[0];
      Var difference = gradOutputs[1];
      reached.add(sum != null);
      reached.add(difference != null);
      Var dx = sum == null ? difference : difference == null ? sum : sum.add(difference);
      Var dy = sum == null ? difference.neg() : difference == null ? sum : sum.sub(difference);
      return new Var[] {needsGradient(0) ? dx : null, needsGradient(1) ? dy : null};
    }
  }

  @Test
  void severalOutputsAreOneRecordedOp() {
    try (Tape tape = Tape.record()) {
      List<Var> outputs = new SumAndDifference().applyAll(x, y);

      assertEquals(1, tape.size());
      assertEquals(Tensor.vector(6, 9, 14), outputs.get(0).value());
      assertEquals(Tensor.vector(-4, -5, -8), outputs.get(1).value());
    }
  }

  @Test
  void gradientsThroughBothOutputsAreTheirSum() {
    for (boolean recorded : new boolean[] {false, true}) {
      try (Tape outer = recorded ? Tape.record() : null;
          Tape tape = Tape.record()) {
        List<Var> outputs = new SumAndDifference().applyAll(x, y);
        // f = Σ 2 (x + y) + 3 (x − y): df/dx = 5, df/dy = −1.
        Var f = outputs.get(0).mul(2.0).add(outputs.get(1).mul(3.0)).sum();

        Gradients gradients = tape.gradient(f, x, y);

        assertEquals(Tensor.vector(5, 5, 5), gradients.tensor(x), "recorded " + recorded);
        assertEquals(Tensor.vector(-1, -1, -1), gradients.tensor(y), "recorded " + recorded);
      }
    }
  }

  @Test
  void anUnusedOutputReachesTheBackwardAsNull() {
    for (boolean recorded : new boolean[] {false, true}) {
      try (Tape outer = recorded ? Tape.record() : null;
          Tape tape = Tape.record()) {
        SumAndDifference op = new SumAndDifference();
        Var difference = op.applyAll(x, y).get(1);

        Gradients gradients = tape.gradient(difference.sum(), x, y);

        assertEquals(List.of(false, true), op.reached);
        assertEquals(Tensor.vector(1, 1, 1), gradients.tensor(x));
        assertEquals(Tensor.vector(-1, -1, -1), gradients.tensor(y));
      }
    }
  }

  @Test
  void anOutputIsAValidYAndAWantedX() {
    for (boolean recorded : new boolean[] {false, true}) {
      try (Tape outer = recorded ? Tape.record() : null;
          Tape tape = Tape.record()) {
        List<Var> outputs = new SumAndDifference().applyAll(x, y);
        Var sum = outputs.get(0);
        Var difference = outputs.get(1);
        Var f = sum.mul(difference).sum();

        Gradients ofOutputs = tape.gradient(f, sum, difference);
        Gradients ofAnOutput = tape.gradient(difference, Tensor.vector(1, 10, 100), List.of(x, y));

        assertEquals(difference.value(), ofOutputs.tensor(sum), "recorded " + recorded);
        assertEquals(sum.value(), ofOutputs.tensor(difference), "recorded " + recorded);
        assertEquals(Tensor.vector(1, 10, 100), ofAnOutput.tensor(x), "recorded " + recorded);
        assertEquals(Tensor.vector(-1, -10, -100), ofAnOutput.tensor(y), "recorded " + recorded);
      }
    }
  }

  @Test
  void aWantedOutputThatNoGradientReachesGetsZeros() {
    try (Tape tape = Tape.record()) {
      List<Var> outputs = new SumAndDifference().applyAll(x, y);

      Gradients gradients = tape.gradient(outputs.get(0).sum(), outputs.get(1), x);

      assertEquals(Tensor.zeros(3), gradients.tensor(outputs.get(1)));
      assertEquals(Tensor.vector(1, 1, 1), gradients.tensor(x));
    }
  }

  @Test
  void secondDerivativesFlowThroughTheBackwardOfSeveralOutputs() {
    try (Tape outer = Tape.record()) {
      Var gradient;
      try (Tape tape = Tape.record()) {
        List<Var> outputs = new SumAndDifference().applyAll(x, y);
        // f = Σ (x + y)² (x − y): df/dx = 2 (x + y)(x − y) + (x + y)².
        Var f = outputs.get(0).square().mul(outputs.get(1)).sum();
        gradient = tape.gradient(f, x).of(x);
      }

      // d/dx Σ df/dx = 2 (x − y) + 2 (x + y) + 2 (x + y) = 6x + 2y.
      Tensor secondOrder = outer.gradient(gradient.sum(), x).tensor(x);

      assertEquals(Tensor.vector(16, 26, 40), secondOrder);
    }
  }

  @Test
  void toDotDrawsOneBoxAndNamesTheOutputOnItsEdges() {
    try (Tape tape = Tape.record()) {
      List<Var> outputs = new SumAndDifference().applyAll(x, y);
      Var unused = outputs.get(1).sum();

      String dot = tape.toDot();

      assertEquals(2, count(dot, "shape=box"), dot);
      assertTrue(dot.contains("op0 -> op1 [label=\"output 1 [3]\"]"), dot);
    }
  }

  @Test
  void anomalyModeNamesTheOpAndTheOutputOfANonFiniteValue() {
    Var zero = Var.constant(Tensor.vector(0));
    try (Tape tape = Tape.recordDetectingAnomalies()) {
      Var infinity = Var.constant(Tensor.vector(Double.POSITIVE_INFINITY));

      AnomalyException e =
          assertThrows(
              AnomalyException.class, () -> new SumAndDifference().applyAll(zero, infinity));

      assertTrue(
          e.getMessage().startsWith("anomaly: sumanddifference produced Inf in its output 0;"),
          e.getMessage());
    }
  }

  @Test
  void anomalyModeNamesAMultiOutputOpWhoseGradientIsSummedInPlace() {
    Var a = Var.constant(Tensor.matrix(new double[][] {{0.5, 0.5, 0.5, 0.5}}));
    Var c = Var.constant(Tensor.matrix(new double[][] {{0.5}}));
    try (Tape tape = Tape.recordDetectingAnomalies()) {
      Var memory = new LstmGates().applyAll(a, c).get(1);

      AnomalyException e =
          assertThrows(
              AnomalyException.class,
              () ->
                  tape.gradient(
                      memory,
                      Tensor.matrix(new double[][] {{Double.POSITIVE_INFINITY}}),
                      List.of(a)));

      assertTrue(
          e.getMessage().startsWith("anomaly: the backward pass of lstmGates produced"),
          e.getMessage());
    }
  }

  @Test
  void anOpWhoseOutputsNoGradientReachedIsNotAskedForItsBackward() {
    SumAndDifference op = new SumAndDifference();
    try (Tape tape = Tape.record()) {
      Var unused = op.applyAll(x, y).get(0);

      Gradients gradients = tape.gradient(x.sum(), x);

      assertEquals(Tensor.vector(1, 1, 1), gradients.tensor(x));
      assertTrue(op.reached.isEmpty());
    }
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }
}

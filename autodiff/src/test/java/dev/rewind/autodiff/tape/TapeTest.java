package dev.rewind.autodiff.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The tape as a whole: what it records, how it accumulates, the gradients it returns (checked by
 * hand and against finite differences), nesting for second derivatives, its lifecycle and thread
 * confinement, anomaly mode and graph export.
 */
class TapeTest {

  // Gradients.

  @Test
  void gradientOfAScalarFunctionIsItsDerivative() {
    Var x = Var.scalar(3);

    try (Tape tape = Tape.record()) {
      // y = 2x² + x, so dy/dx = 4x + 1 = 13.
      Var y = x.square().mul(2.0).add(x);

      Gradients gradients = tape.gradient(y, x);

      assertEquals(21.0, y.value().item());
      assertEquals(Tensor.scalar(13), gradients.tensor(x));
    }
  }

  @Test
  void gradientOfAWeightedSumIsTheOtherFactor() {
    Var w = Var.constant(Tensor.vector(1, 2, 3));
    Var x = Var.constant(Tensor.vector(4, -5, 6));

    try (Tape tape = Tape.record()) {
      Var y = w.mul(x).sum();

      Gradients gradients = tape.gradient(y, w, x);

      assertEquals(Tensor.vector(4, -5, 6), gradients.tensor(w));
      assertEquals(Tensor.vector(1, 2, 3), gradients.tensor(x));
    }
  }

  @Test
  void nonScalarYWithoutASeedIsRejectedNamingItsShape() {
    Var x = Var.constant(Tensor.ones(2, 3));

    try (Tape tape = Tape.record()) {
      Var y = x.tanh();

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tape.gradient(y, x));

      assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
      assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }
  }

  @Test
  void seededGradientIsTheVectorJacobianProduct() {
    // y = W x; for a seed s, sᵀ dy/dW = s xᵀ and sᵀ dy/dx = Wᵀ s.
    Var w = Var.constant(Tensor.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}}));
    Var x = Var.constant(Tensor.of(Shape.of(3, 1), 1, -1, 2));
    Tensor seed = Tensor.of(Shape.of(2, 1), 10, -1);

    try (Tape tape = Tape.record()) {
      Var y = w.matmul(x);

      Gradients gradients = tape.gradient(y, seed, List.of(w, x));

      assertEquals(Tensor.matrix(new double[][] {{10, -10, 20}, {-1, 1, -2}}), gradients.tensor(w));
      assertEquals(Tensor.of(Shape.of(3, 1), 6, 15, 24), gradients.tensor(x));
    }
  }

  @Test
  void seedOfTheWrongShapeNamesBothShapes() {
    Var x = Var.constant(Tensor.ones(2, 1));

    try (Tape tape = Tape.record()) {
      Var y = x.tanh();

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> tape.gradient(y, Tensor.ones(2), List.of(x)));

      assertEquals("gradient: seed has shape [2] but y has shape [2, 1]", e.getMessage());
    }
  }

  @Test
  void valueUsedTwiceGetsTheSumOfBothUses() {
    Var x = Var.constant(Tensor.vector(3, -2));

    try (Tape tape = Tape.record()) {
      Var y = x.mul(x).sum();

      assertEquals(Tensor.vector(6, -4), tape.gradient(y, x).tensor(x));
    }
  }

  @Test
  void sharedWeightAccumulatesTheSumOfItsUses() {
    Random random = new Random(11);
    Tensor weight = Tensor.randomNormal(Shape.of(3, 3), 0, 0.5, random);
    List<Tensor> inputs = randomSequence(4, Shape.of(1, 3), random);
    Var initialState = Var.constant(Tensor.randomNormal(Shape.of(1, 3), 0, 0.5, random));
    Var shared = Var.constant(weight);
    List<Var> copies = new ArrayList<>();
    for (int t = 0; t < inputs.size(); t++) {
      copies.add(Var.constant(weight));
    }

    Tensor sharedGradient;
    Tensor sumOfCopies = Tensor.zeros(3, 3);
    Tensor lastCopy;
    try (Tape tape = Tape.record()) {
      Var loss = elmanLoss(inputs, t -> shared, initialState);
      sharedGradient = tape.gradient(loss, shared).tensor(shared);
    }
    try (Tape tape = Tape.record()) {
      Var loss = elmanLoss(inputs, copies::get, initialState);
      Gradients gradients = tape.gradient(loss, copies);
      for (Var copy : copies) {
        sumOfCopies = Pointwise.add(sumOfCopies, gradients.tensor(copy));
      }
      lastCopy = gradients.tensor(copies.get(copies.size() - 1));
    }

    assertTrue(
        sharedGradient.allClose(sumOfCopies, 1e-12, 1e-15), sharedGradient + " vs " + sumOfCopies);
    // Every step contributes: the last use alone is not the whole gradient.
    assertFalse(sharedGradient.allClose(lastCopy, 1e-3, 1e-3), sharedGradient + " vs " + lastCopy);
  }

  @Test
  void summingInPlaceGivesTheGradientsSummingAsOpsGives() {
    // A gate block split four ways, and a weight used at every step: the fan-in a plain backward
    // pass sums in place, and one recorded on an outer tape sums with ops.
    Random random = new Random(5);
    Var w = Var.constant(Tensor.randomNormal(Shape.of(2, 8), 0, 0.7, random));
    Var x = Var.constant(Tensor.randomNormal(Shape.of(3, 2), 0, 0.7, random));
    Function<Var, Var> loss =
        weight -> {
          Var total = Var.scalar(0);
          Var h = x;
          for (int t = 0; t < 3; t++) {
            List<Var> gates = h.matmul(weight).split(1, 2, 2, 2, 2);
            h = gates.get(0).sigmoid().mul(gates.get(2).tanh()).add(gates.get(3).mul(h));
            total = total.add(h.square().sum()).add(gates.get(1).sum());
          }
          return total;
        };

    Tensor inPlace;
    try (Tape tape = Tape.record()) {
      inPlace = tape.gradient(loss.apply(w), w).tensor(w);
    }
    Tensor asOps;
    try (Tape outer = Tape.record();
        Tape inner = Tape.record()) {
      asOps = inner.gradient(loss.apply(w), w).tensor(w);
      assertTrue(outer.size() > inner.size(), "the backward pass was not recorded");
    }

    assertTrue(inPlace.allClose(asOps, 1e-14, 1e-14), inPlace + " vs " + asOps);
  }

  @Test
  void unrolledRnnGradientMatchesFiniteDifferences() {
    Random random = new Random(12);
    Tensor weight = Tensor.randomNormal(Shape.of(3, 3), 0, 0.5, random);
    Tensor initialState = Tensor.randomNormal(Shape.of(1, 3), 0, 0.5, random);
    List<Tensor> inputs = randomSequence(5, Shape.of(1, 3), random);

    GradCheckResult result =
        GradCheck.of(in -> elmanLoss(inputs, t -> in.get(0), in.get(1)))
            .check(weight, initialState);

    assertTrue(result.passed(), result::toString);
    assertEquals(12, result.comparisons());
  }

  @Test
  void gradientOfAValueYDoesNotDependOnIsZeros() {
    Var used = Var.constant(Tensor.vector(1, 2));
    Var unused = Var.constant(Tensor.ones(2, 3));

    try (Tape tape = Tape.record()) {
      Var sideBranch = unused.tanh();
      Var y = used.square().sum();

      Gradients gradients = tape.gradient(y, used, unused, sideBranch);

      assertEquals(Tensor.zeros(2, 3), gradients.tensor(unused));
      assertEquals(Tensor.zeros(2, 3), gradients.tensor(sideBranch));
      assertEquals(Tensor.vector(2, 4), gradients.tensor(used));
    }
  }

  @Test
  void gradientsAreKeyedByIdentityInRequestOrder() {
    Var a = Var.constant(Tensor.vector(1));
    Var b = Var.constant(Tensor.vector(1));
    Var notRequested = Var.constant(Tensor.vector(1));

    try (Tape tape = Tape.record()) {
      Var y = a.mul(3.0).add(b).sum();

      Gradients gradients = tape.gradient(y, b, a);

      assertEquals(List.of(b, a), gradients.keys());
      assertEquals(Tensor.vector(3), gradients.tensor(a));
      assertEquals(Tensor.vector(1), gradients.tensor(b));
      assertFalse(gradients.contains(notRequested));
      assertThrows(IllegalArgumentException.class, () -> gradients.of(notRequested));
    }
  }

  @Test
  void gradientWithRespectToAnIntermediateValue() {
    Var x = Var.constant(Tensor.vector(1, 2));

    try (Tape tape = Tape.record()) {
      Var h = x.mul(3.0);
      Var y = h.square().sum();

      Gradients gradients = tape.gradient(y, h, x);

      assertEquals(Tensor.vector(6, 12), gradients.tensor(h));
      assertEquals(Tensor.vector(18, 36), gradients.tensor(x));
    }
  }

  @Test
  void detachStopsTheGradient() {
    Var x = Var.constant(Tensor.vector(3, -2));

    try (Tape tape = Tape.record()) {
      // Without detach this would be 2x; the detached factor is a constant.
      Var y = x.detach().mul(x).sum();

      assertEquals(Tensor.vector(3, -2), tape.gradient(y, x).tensor(x));
    }
  }

  @Test
  void detachedValueHasTheSameValueButIsANewLeaf() {
    Var x = Var.constant(Tensor.vector(3, -2));

    try (Tape tape = Tape.record()) {
      Var h = x.tanh();
      Var detached = h.detach();
      Var y = detached.square().sum();

      assertEquals(h.value(), detached.value());
      assertEquals(Tensor.zeros(2), tape.gradient(y, x).tensor(x));
    }
  }

  @Test
  @SuppressWarnings("try") // the scope works by being open, not by being referenced
  void noGradRecordsNothingAndItsValuesAreConstants() {
    Var x = Var.constant(Tensor.vector(0.5, -1));
    Var w = Var.constant(Tensor.vector(2, 3));

    try (Tape tape = Tape.record()) {
      Var before = x.mul(w);
      int recorded = tape.size();
      Var inside;
      try (Tape.NoGradScope unused = Tape.noGrad()) {
        inside = x.mul(w).tanh().add(1.0);
      }
      assertEquals(recorded, tape.size());
      Var y = inside.mul(w).add(before).sum();

      Gradients gradients = tape.gradient(y, x, w);

      // Only the recorded paths count: y = sum(c * w + x * w) with c constant.
      assertEquals(Pointwise.add(inside.value(), x.value()), gradients.tensor(w));
      assertEquals(w.value(), gradients.tensor(x));
      assertEquals(
          Pointwise.add(Pointwise.tanh(Tensor.vector(1, -3)), Tensor.scalar(1)), inside.value());
    }
  }

  @Test
  @SuppressWarnings("try") // the scope works by being open, not by being referenced
  void recordingResumesWhenNoGradCloses() {
    Var x = Var.constant(Tensor.vector(1));

    try (Tape tape = Tape.record()) {
      try (Tape.NoGradScope unused = Tape.noGrad()) {
        Var ignored = x.tanh();
        assertEquals(0, tape.size());
      }
      Var recorded = x.tanh();

      assertEquals(1, tape.size());
      assertNotNull(recorded);
    }
  }

  @Test
  void opsOutsideEveryTapeJustCompute() {
    Var a = Var.constant(Tensor.vector(1, 2));
    Var b = Var.constant(Tensor.vector(10, 20));

    Var sum = a.add(b).mul(2.0);

    assertEquals(Tensor.vector(22, 44), sum.value());
    try (Tape tape = Tape.record()) {
      assertEquals(0, tape.size());
      Var y = sum.sum();
      // sum was computed before the tape opened: to this tape it is a leaf.
      assertEquals(Tensor.zeros(2), tape.gradient(y, a).tensor(a));
      assertEquals(Tensor.ones(2), tape.gradient(y, sum).tensor(sum));
    }
  }

  @Test
  void plainBackwardRecordsNothing() {
    Var x = Var.constant(Tensor.vector(0.3, 0.7));

    try (Tape tape = Tape.record()) {
      Var y = x.tanh().square().sum();
      int recorded = tape.size();

      Gradients unused = tape.gradient(y, x);

      assertEquals(recorded, tape.size());
      assertEquals(3, recorded);
    }
  }

  @Test
  void opsRecordOnEveryOpenTape() {
    Var x = Var.constant(Tensor.vector(0.3, 0.7));

    try (Tape outer = Tape.record()) {
      try (Tape inner = Tape.record()) {
        Var y = x.tanh().sum();

        assertEquals(2, inner.size());
        assertEquals(2, outer.size());
        assertSame(inner.recorded().get(1), outer.recorded().get(1));
        assertSame(y, outer.recorded().get(1).output());
      }
    }
  }

  @Test
  void tenThousandStepUnrollDifferentiatesWithoutOverflowingTheStack() throws Throwable {
    int steps = 10_000;
    Random random = new Random(21);
    Tensor weight = Tensor.randomNormal(Shape.of(4, 4), 0, 0.4, random);
    Tensor initialState = Tensor.randomNormal(Shape.of(1, 4), 0, 0.5, random);
    List<Tensor> inputs = randomSequence(steps, Shape.of(1, 4), random);
    AtomicReference<GradCheckResult> result = new AtomicReference<>();

    // A small stack makes any recursion over the 40,000 recorded ops fail, whatever -Xss says.
    runOnThreadWithSmallStack(
        () ->
            result.set(
                GradCheck.of(in -> recurrence(inputs, in.get(0), in.get(1)))
                    .checkRandomDirection(5, weight, initialState)));

    assertTrue(result.get().passed(), result.get()::toString);
  }

  // Second order.

  @Test
  void hessianVectorProductOfSquaredTanhMatchesFiniteDifferencesOfTheGradient() {
    Random random = new Random(31);
    Tensor weight = Tensor.randomNormal(Shape.of(3, 4), 0, 0.6, random);
    Tensor x = Tensor.randomNormal(Shape.of(4, 1), 0, 1, random);

    assertHessianVectorProductMatchesFiniteDifferences(
        in -> in.get(0).matmul(in.get(1)).tanh().square().sum(), List.of(weight, x), 32);
  }

  @Test
  void hessianVectorProductOfATwoStepRnnLossMatchesFiniteDifferencesOfTheGradient() {
    Random random = new Random(41);
    Tensor weight = Tensor.randomNormal(Shape.of(3, 3), 0, 0.6, random);
    Tensor initialState = Tensor.randomNormal(Shape.of(1, 3), 0, 0.6, random);
    List<Tensor> inputs = randomSequence(2, Shape.of(1, 3), random);

    assertHessianVectorProductMatchesFiniteDifferences(
        in -> elmanLoss(inputs, t -> in.get(0), in.get(1)), List.of(weight, initialState), 42);
  }

  @Test
  void innerBackwardIsRecordedOnTheOuterTape() {
    Var x = Var.constant(Tensor.vector(0.3, 0.7));

    try (Tape outer = Tape.record()) {
      Gradients gradients;
      int recordedBeforeBackward;
      try (Tape inner = Tape.record()) {
        Var y = x.tanh().sum();
        recordedBeforeBackward = outer.size();
        gradients = inner.gradient(y, x);
      }

      assertTrue(outer.size() > recordedBeforeBackward, "outer size " + outer.size());
      // d/dx sum(d/dx sum(tanh x)) = d/dx sum(1 - tanh² x) = -2 tanh x (1 - tanh² x).
      Var gradientSum = gradients.of(x).sum();
      Tensor second = outer.gradient(gradientSum, x).tensor(x);
      Tensor t = Pointwise.tanh(x.value());
      Tensor expected =
          Pointwise.mul(
              Pointwise.scale(t, -2), Pointwise.sub(Tensor.scalar(1), Pointwise.mul(t, t)));
      assertTrue(second.allClose(expected, 1e-14, 1e-15), () -> second + " vs " + expected);
    }
  }

  // Lifecycle.

  @Test
  void gradientOnAClosedTapeSaysItIsClosed() {
    Var x = Var.scalar(2);
    Tape tape = Tape.record();
    Var y = x.square();
    tape.close();

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, x));

    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertTrue(e.getMessage().startsWith("gradient"), e.getMessage());
    assertThrows(IllegalStateException.class, tape::size);
  }

  @Test
  void closingTwiceIsHarmless() {
    Tape tape = Tape.record();

    tape.close();
    tape.close();

    assertThrows(IllegalStateException.class, tape::toDot);
  }

  @Test
  void closingAnInnerTapeLeavesTheOuterRecording() {
    Var x = Var.scalar(2);
    try (Tape outer = Tape.record()) {
      Tape inner = Tape.record();
      inner.close();

      Var unused = x.square();

      assertEquals(1, outer.size());
    }
  }

  @Test
  void yFromAnotherTapeIsRejected() {
    Var x = Var.scalar(2);
    Var yOfClosedTape;
    try (Tape first = Tape.record()) {
      yOfClosedTape = x.square();
      assertEquals(1, first.size());
    }

    try (Tape second = Tape.record()) {
      Var unused = x.tanh();

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> second.gradient(yOfClosedTape, x));

      assertTrue(e.getMessage().contains("was not recorded on this tape"), e.getMessage());
    }
  }

  @Test
  void tapeUsedFromAnotherThreadNamesBothThreads() throws Throwable {
    Var x = Var.scalar(2);
    String owner = Thread.currentThread().getName();

    try (Tape tape = Tape.record()) {
      Var y = x.square();
      AtomicReference<Throwable> fromGradient = new AtomicReference<>();
      AtomicReference<Throwable> fromClose = new AtomicReference<>();

      runOnThread(
          "intruder",
          () -> {
            fromGradient.set(
                catchThrowable(
                    () -> {
                      Gradients unused = tape.gradient(y, x);
                    }));
            fromClose.set(catchThrowable(tape::close));
          });

      for (Throwable thrown : List.of(fromGradient.get(), fromClose.get())) {
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(e.getMessage().contains("'" + owner + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("'intruder'"), e.getMessage());
      }
      assertTrue(fromClose.get().getMessage().startsWith("close"));
      // The failed close left the tape open and usable on its own thread.
      assertEquals(Tensor.scalar(4), tape.gradient(y, x).tensor(x));
    }
  }

  @Test
  void opsOnAnotherThreadAreNotRecorded() throws Throwable {
    Var x = Var.scalar(2);

    try (Tape tape = Tape.record()) {
      AtomicReference<Var> computed = new AtomicReference<>();
      runOnThread("worker", () -> computed.set(x.square()));

      assertEquals(Tensor.scalar(4), computed.get().value());
      assertEquals(0, tape.size());
    }
  }

  // Parameters.

  @Test
  void parameterAssignOfTheWrongShapeNamesTheParameterAndBothShapes() {
    Parameter weight = new Parameter("cell.weightHh", Tensor.zeros(2, 3));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> weight.assign(Tensor.zeros(3, 2)));

    assertEquals(
        "assign: parameter 'cell.weightHh' has shape [2, 3] but the new value has shape [3, 2]",
        e.getMessage());
    assertEquals(Tensor.zeros(2, 3), weight.value());
  }

  @Test
  void parameterAssignReplacesTheValueUsedByLaterOps() {
    Parameter weight = new Parameter("w", Tensor.vector(1, 2));

    weight.assign(Tensor.vector(3, 4));

    try (Tape tape = Tape.record()) {
      Var y = weight.square().sum();
      assertEquals(25.0, y.value().item());
      assertEquals(Tensor.vector(6, 8), tape.gradient(y, weight).tensor(weight));
    }
  }

  @Test
  void parameterWithAnEmptyNameIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Parameter("", Tensor.scalar(0)));
  }

  // Anomaly mode.

  @Test
  void anomalyModeReportsALogOfZeroWithTheOpItsShapesAndTheLine() {
    Var x = Var.constant(Tensor.vector(1, 0));

    try (Tape tape = Tape.recordDetectingAnomalies()) {
      AtomicInteger line = new AtomicInteger();
      AnomalyException e =
          assertThrows(
              AnomalyException.class,
              () -> {
                line.set(currentLine() + 1);
                Var unused = x.log();
              });

      String message = e.getMessage();
      assertTrue(message.startsWith("anomaly: log produced Inf"), message);
      assertTrue(message.contains("input shapes [2]"), message);
      assertTrue(message.contains(TapeTest.class.getSimpleName()), message);
      assertTrue(message.contains("TapeTest.java:" + line.get() + ")"), message);
      assertEquals(0, tape.size());
    }
  }

  @Test
  void anomalyModeReportsZeroOverZeroAsNan() {
    Var zeros = Var.constant(Tensor.zeros(2, 2));
    Var row = Var.constant(Tensor.of(Shape.of(1, 2), 0, 1));

    try (Tape tape = Tape.recordDetectingAnomalies()) {
      AnomalyException e = assertThrows(AnomalyException.class, () -> zeros.div(row));

      String message = e.getMessage();
      assertTrue(message.startsWith("anomaly: div produced NaN"), message);
      assertTrue(message.contains("input shapes [2, 2], [1, 2]"), message);
      assertTrue(message.contains(TapeTest.class.getSimpleName()), message);
      assertEquals(0, tape.size());
    }
  }

  @Test
  void anomalyModeReportsANanOnlyInBackwardAsTheBackwardPassOfSqrt() {
    Var x = Var.constant(Tensor.vector(0, 4));

    try (Tape tape = Tape.recordDetectingAnomalies()) {
      Var root = x.sqrt();
      Var y = root.sum();

      AnomalyException e = assertThrows(AnomalyException.class, () -> tape.gradient(y, x));

      String message = e.getMessage();
      assertEquals(Tensor.vector(0, 2), root.value());
      assertTrue(message.startsWith("anomaly: the backward pass of sqrt produced Inf"), message);
      assertTrue(message.contains("input shapes [2]"), message);
      assertTrue(message.contains(TapeTest.class.getSimpleName()), message);
    }
  }

  @Test
  void anomalyModeReportsAnOverflowInAWeightGradientSummedInPlace() {
    // dW = xᵀ g = 1e300 · 1e300 overflows, though every value of the forward pass is finite; the
    // weight's gradient is multiplied straight into its sum, never a tensor the check could see.
    Var x = Var.constant(Tensor.matrix(new double[][] {{1e300}}));
    Var w = Var.constant(Tensor.matrix(new double[][] {{1e-300}}));

    try (Tape tape = Tape.recordDetectingAnomalies()) {
      Var y = x.matmul(w).mul(1e300).sum();

      AnomalyException e = assertThrows(AnomalyException.class, () -> tape.gradient(y, w));

      String message = e.getMessage();
      assertTrue(
          message.startsWith(
              "anomaly: the backward pass of matmul produced Inf in the gradient of input 1;"),
          message);
      assertTrue(message.contains("input shapes [1, 1], [1, 1]"), message);
    }
  }

  @Test
  void withoutAnomalyModeNonFiniteValuesPassSilently() {
    Var x = Var.constant(Tensor.vector(0, 4));

    try (Tape tape = Tape.record()) {
      Var logarithm = x.log();
      Var y = x.sqrt().sum();

      Tensor gradient = tape.gradient(y, x).tensor(x);

      assertEquals(Double.NEGATIVE_INFINITY, logarithm.value().get(0));
      assertEquals(Double.POSITIVE_INFINITY, gradient.get(0));
      assertEquals(0.25, gradient.get(1));
    }
  }

  @Test
  void opBuiltWithoutAnomalyModeDoesNotKnowItsLine() {
    Var x = Var.constant(Tensor.vector(1));

    try (Tape tape = Tape.record()) {
      Var unused = x.tanh();

      assertTrue(tape.recorded().get(0).whereBuilt().startsWith("unknown"));
    }
  }

  // Graph export.

  @Test
  void toDotDrawsOneBoxPerOpAndOneLabelledEdgePerInput() {
    Parameter weight = new Parameter("weight", Tensor.ones(3, 4));
    Parameter bias = new Parameter("bias", Tensor.zeros(4));
    Var x = Var.constant(Tensor.ones(2, 3));

    try (Tape tape = Tape.record()) {
      Var unused = x.matmul(weight).add(bias).tanh().sum();
      int inputs = 0;
      for (Op op : tape.recorded()) {
        inputs += op.inputs().length;
      }

      String dot = tape.toDot();

      assertTrue(dot.startsWith("digraph"), dot);
      assertTrue(dot.trim().endsWith("}"), dot);
      assertEquals(4, tape.size());
      assertEquals(tape.size(), count(dot, "shape=box"));
      assertEquals(6, inputs);
      assertEquals(inputs, count(dot, "->"));
      assertTrue(dot.contains("label=\"matmul\""), dot);
      assertTrue(dot.contains("label=\"[2, 3]\""), dot);
      assertTrue(dot.contains("label=\"[2, 4]\""), dot);
      assertTrue(dot.contains("label=\"weight\""), dot);
      assertTrue(dot.contains("label=\"bias\""), dot);
    }
  }

  // Helpers.

  /**
   * Checks {@code H v}, computed by differentiating {@code <∇f, v>} on an outer tape, against the
   * finite differences of {@code <∇f, v>}, element by element: GradCheck's first-order check of a
   * function that takes the gradient of f on a tape of its own, for a random direction v.
   */
  private static void assertHessianVectorProductMatchesFiniteDifferences(
      Function<List<Var>, Var> f, List<Tensor> at, long seed) {
    Random random = new Random(seed);
    List<Tensor> direction = new ArrayList<>();
    for (Tensor t : at) {
      direction.add(Tensor.randomNormal(t.shape(), 0, 1, random));
    }
    GradCheckResult result =
        GradCheck.of(
                leaves -> {
                  Gradients gradients;
                  try (Tape inner = Tape.record()) {
                    gradients = inner.gradient(f.apply(leaves), leaves);
                  }
                  Var gradientDotDirection = Var.scalar(0);
                  for (int i = 0; i < leaves.size(); i++) {
                    Var projected =
                        gradients.of(leaves.get(i)).mul(Var.constant(direction.get(i))).sum();
                    gradientDotDirection = gradientDotDirection.add(projected);
                  }
                  return gradientDotDirection;
                })
            .check(at.toArray(new Tensor[0]));
    assertTrue(result.passed(), result::toString);
  }

  /**
   * An Elman network with a fixed input projection: {@code h_t = tanh(x_t + h_{t-1} W_t)}, loss
   * {@code Σ_t sum(h_t²)}. {@code weightAt} gives the weight used at step t.
   */
  private static Var elmanLoss(List<Tensor> inputs, IntFunction<Var> weightAt, Var initialState) {
    Var hidden = initialState;
    Var loss = Var.scalar(0);
    for (int t = 0; t < inputs.size(); t++) {
      hidden = Var.constant(inputs.get(t)).add(hidden.matmul(weightAt.apply(t))).tanh();
      loss = loss.add(hidden.square().sum());
    }
    return loss;
  }

  /**
   * {@code h_t = tanh(h_{t-1} W + x_t)} over the whole sequence; the loss is {@code Σ_t sum(h_t)}.
   */
  private static Var recurrence(List<Tensor> inputs, Var weight, Var initialState) {
    Var hidden = initialState;
    Var loss = Var.scalar(0);
    for (Tensor input : inputs) {
      hidden = hidden.matmul(weight).add(Var.constant(input)).tanh();
      loss = loss.add(hidden.sum());
    }
    return loss;
  }

  private static List<Tensor> randomSequence(int steps, Shape shape, Random random) {
    List<Tensor> sequence = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      sequence.add(Tensor.randomNormal(shape, 0, 1, random));
    }
    return sequence;
  }

  /** The line of the caller. */
  private static int currentLine() {
    return StackWalker.getInstance()
        .walk(frames -> frames.skip(1).findFirst())
        .orElseThrow()
        .getLineNumber();
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  /** What {@code action} throws, or null. */
  private static Throwable catchThrowable(ThrowingAction action) {
    try {
      action.run();
      return null;
    } catch (Throwable thrown) {
      return thrown;
    }
  }

  private interface ThrowingAction {
    void run() throws Throwable;
  }

  private static void runOnThread(String name, Runnable action) throws Throwable {
    runOn(new Thread(null, action, name), new AtomicReference<>());
  }

  private static void runOnThreadWithSmallStack(Runnable action) throws Throwable {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable recording =
        () -> {
          try {
            action.run();
          } catch (Throwable thrown) {
            failure.set(thrown);
          }
        };
    runOn(new Thread(null, recording, "small-stack", 256 * 1024), failure);
  }

  private static void runOn(Thread thread, AtomicReference<Throwable> failure) throws Throwable {
    thread.setUncaughtExceptionHandler((t, thrown) -> failure.set(thrown));
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}

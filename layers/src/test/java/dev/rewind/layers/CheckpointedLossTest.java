package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellCase.Subject;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Recurrent#runWithLoss}, a readout and a cross-entropy at every step: checkpointed, it
 * gives the plain run's loss and gradients to the bit (of every parameter of the cell and the
 * readout, of the inputs and of the initial state) for every cell of the registry ({@link
 * CellCases}), for segments of 1 step, of several (dividing the sequence or not), of the whole
 * sequence and of ⌈√T⌉, with and without a mask; from a tape of one node per segment. The plain run
 * matches central differences, and the stacked formulation (one readout and one loss over every
 * step) differs from it only in rounding.
 */
class CheckpointedLossTest {
  private static final int STEPS = CheckpointedCases.STEPS;
  private static final int BATCH = CheckpointedCases.BATCH;
  private static final int CLASSES = 3;
  private static final int[] SEGMENT_LENGTHS = CheckpointedCases.SEGMENT_LENGTHS;
  private static final Tensor MASK = CheckpointedCases.MASK;
  // Each padded step of MASK has a target out of range, which only a masked loss accepts.
  private static final int[][] TARGETS = {{0, 2, 1, 1, 0, 2, 2}, {1, 0, -1, 2, 1, -1, -1}};
  private static final int[][] REAL_TARGETS = {{0, 2, 1, 1, 0, 2, 2}, {1, 0, 0, 2, 1, 1, 1}};
  // Stacking sums the same terms in another order: a few units in the last place of the largest.
  private static final double ROUNDING = 1e-12;

  @TestFactory
  Stream<DynamicNode> everyCellGetsThePlainLossAndGradientsToTheBit() {
    return CheckpointedCases.everyCellWithAndWithoutAMask(
        (cellCase, mask) -> {
          List<Tensor> plain = lossAndGradients(cellCase, UnaryOperator.identity(), mask);
          for (int length : SEGMENT_LENGTHS) {
            assertEquals(
                plain,
                lossAndGradients(cellCase, r -> r.checkpointed(length), mask),
                cellCase + ", segments of " + length);
          }
          assertEquals(
              plain,
              lossAndGradients(cellCase, Recurrent::checkpointed, mask),
              cellCase + ", segments of ⌈√T⌉");
        });
  }

  @TestFactory
  Stream<DynamicNode> theStackedFormulationDiffersOnlyInRounding() {
    return CheckpointedCases.everyCellWithAndWithoutAMask(
        (cellCase, mask) -> {
          List<Tensor> perStep = lossAndGradients(cellCase, UnaryOperator.identity(), mask);
          List<Tensor> stacked = lossAndGradients(cellCase, null, mask);
          assertEquals(perStep.size(), stacked.size());
          for (int i = 0; i < perStep.size(); i++) {
            double scale = Math.max(1, maxAbs(stacked.get(i)));
            double difference = maxDifference(perStep.get(i), stacked.get(i));
            assertTrue(
                difference <= ROUNDING * scale,
                cellCase + ", value " + i + ": differs by " + difference + " at scale " + scale);
          }
        });
  }

  @Test
  void thePlainRunMatchesCentralDifferences() {
    LstmCell cell = LstmCell.random(3, 4, new Random(5));
    Linear readout = new Linear(4, CLASSES, new Random(6));
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(BATCH, STEPS, 3), 0, 1, new Random(7)));
    Map<String, Parameter> parameters = new LinkedHashMap<>();
    cell.namedParameters().forEach((name, p) -> parameters.put("cell." + name, p));
    readout.namedParameters().forEach((name, p) -> parameters.put("readout." + name, p));
    GradCheckResult result =
        GradCheck.ofParameters(
                parameters,
                () ->
                    new Recurrent<>(cell)
                        .runWithLoss(inputs, null, MASK, stepLoss(readout, MASK))
                        .loss())
            .check();
    assertTrue(result.passed(), result::toString);
  }

  @Test
  void aCheckpointedRunKeepsOneNodePerSegment() {
    int steps = 16;
    LstmCell cell = LstmCell.random(3, 4, new Random(1));
    Linear readout = new Linear(4, CLASSES, new Random(2));
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(BATCH, steps, 3), 0, 1, new Random(3)));
    Recurrent.StepLoss loss = (t, output) -> readout.apply(output).square().sum();
    int plain = nodes(new Recurrent<>(cell), inputs, loss);
    // The one node outside the segments is the sum of the LSTM's biases.
    assertEquals(2, nodes(new Recurrent<>(cell).checkpointed(steps), inputs, loss));
    for (int length : new int[] {1, 3, 4, 5}) {
      int segments = (steps + length - 1) / length;
      assertEquals(
          1 + segments,
          nodes(new Recurrent<>(cell).checkpointed(length), inputs, loss),
          "segments of " + length);
    }
    // Plain: the biases' sum, and for each step the affine map, the gates, the readout, the square,
    // the sum and the addition to the running loss (none for the first step).
    assertEquals(1 + 6 * steps - 1, plain);
  }

  private static int nodes(Recurrent<LstmState> recurrent, Var inputs, Recurrent.StepLoss loss) {
    try (Tape tape = Tape.record()) {
      var unused = recurrent.runWithLoss(inputs, null, null, loss);
      return tape.size();
    }
  }

  private static List<Tensor> lossAndGradients(
      CellCase cellCase, UnaryOperator<Recurrent<?>> unroll, Tensor mask) {
    Subject subject = cellCase.build().get();
    return lossAndGradients(subject.cell().orElseThrow(), subject.parameters(), unroll, mask);
  }

  /**
   * The loss of a run of {@code STEPS} steps from a random initial state, a readout and a summed
   * cross-entropy at every step plus a term on the final state, then its gradients with respect to
   * every parameter of the cell and the readout, the inputs and each tensor of the initial state:
   * by {@link Recurrent#runWithLoss} of the unroll {@code unroll} makes, or, when it is null, over
   * the stacked outputs of the plain {@link Recurrent#run}.
   */
  @SuppressWarnings("unchecked")
  private static <S extends RecurrentState<S>> List<Tensor> lossAndGradients(
      CellRun<S> run,
      Map<String, Parameter> parameters,
      UnaryOperator<Recurrent<?>> unroll,
      Tensor mask) {
    RecurrentCell<S> cell = run.cellPerRun().get();
    Random random = new Random(40);
    Var inputs =
        Var.constant(
            Tensor.randomNormal(Shape.of(BATCH, STEPS, cell.inputSize()), 0, 1, new Random(41)));
    S zeros = cell.initialState(BATCH);
    ImmutableMap.Builder<String, Tensor> initialTensors = ImmutableMap.builder();
    zeros
        .shapes()
        .forEach(
            (name, shape) -> initialTensors.put(name, Tensor.randomNormal(shape, 0, 1, random)));
    S initial = zeros.withTensors(initialTensors.buildOrThrow());
    int outputSize = new Recurrent<>(cell).run(inputs).last().shape().dim(1);
    Linear readout = new Linear(outputSize, CLASSES, new Random(42));
    List<Var> wanted = new ArrayList<>(parameters.values());
    wanted.addAll(readout.parameters());
    wanted.add(inputs);
    wanted.addAll(CellCases.stateVars(initial));
    try (Tape tape = Tape.record()) {
      Var loss;
      S finalState;
      if (unroll == null) {
        Recurrent.Unrolled<S> unrolled = new Recurrent<>(cell).run(inputs, initial, mask);
        Var logits = readout.apply(unrolled.stacked().reshape(BATCH * STEPS, outputSize));
        loss =
            Losses.softmaxCrossEntropy(
                logits.reshape(BATCH, STEPS, CLASSES), targets(mask), Reduction.SUM, mask);
        finalState = unrolled.finalState();
      } else {
        Recurrent<S> recurrent = (Recurrent<S>) unroll.apply(new Recurrent<>(cell));
        Recurrent.Summed<S> summed =
            recurrent.runWithLoss(inputs, initial, mask, stepLoss(readout, mask));
        loss = summed.loss();
        finalState = summed.finalState();
      }
      for (Var part : CellCases.stateVars(finalState)) {
        loss = loss.add(part.tanh().sum());
      }
      Gradients gradients = tape.gradient(loss, wanted);
      List<Tensor> result = new ArrayList<>();
      result.add(loss.value());
      wanted.forEach(value -> result.add(gradients.tensor(value)));
      return result;
    }
  }

  /** The summed cross-entropy of step t's readout against its targets, padded rows left out. */
  private static Recurrent.StepLoss stepLoss(Linear readout, Tensor mask) {
    return (t, output) -> {
      int[] atStep = {targets(mask)[0][t], targets(mask)[1][t]};
      Tensor rows = mask == null ? null : Layout.slice(mask, 1, t, t + 1).reshape(Shape.of(BATCH));
      return Losses.softmaxCrossEntropy(readout.apply(output), atStep, Reduction.SUM, rows);
    };
  }

  private static int[][] targets(Tensor mask) {
    return mask == null ? REAL_TARGETS : TARGETS;
  }

  private static double maxDifference(Tensor a, Tensor b) {
    double max = 0;
    for (int i = 0; i < a.shape().size(); i++) {
      max = Math.max(max, Math.abs(a.getFlat(i) - b.getFlat(i)));
    }
    return max;
  }

  private static double maxAbs(Tensor tensor) {
    double max = 0;
    for (int i = 0; i < tensor.shape().size(); i++) {
      max = Math.max(max, Math.abs(tensor.getFlat(i)));
    }
    return max;
  }
}

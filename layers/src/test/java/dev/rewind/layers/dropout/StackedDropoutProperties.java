package dev.rewind.layers.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.BpttChecks;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.StackedState;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Dropout between stacked layers, as {@code nn.LSTM(dropout=p)}: on the output of every layer but
 * the last, in training mode only; with the mask fixed (the generator made afresh from one seed at
 * every evaluation), BPTT through it matches central differences.
 */
class StackedDropoutProperties {
  private static final long MASK_SEED = 11;

  @Property(tries = 8, seed = "20260101", edgeCases = EdgeCasesMode.NONE)
  void bpttThroughDropoutBetweenLayersMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    LstmCell lower = LstmCell.random(2, 3, random);
    LstmCell upper = LstmCell.random(3, 2, random);
    // Initial states away from 0, as LstmGradientProperties has them: from zeros, the recurrent
    // weights' gradients of a short sequence are near 1e-8, below what central differences resolve.
    StackedCell<LstmState> stack = new StackedCell<>(lower, upper);
    ImmutableMap<String, Tensor> inputs =
        ImmutableMap.of(
            "x", DropoutCells.awayFromZero(Shape.of(batch, steps, 2), random),
            "h0 lower", DropoutCells.awayFromZero(Shape.of(batch, 3), random),
            "c0 lower", DropoutCells.awayFromZero(Shape.of(batch, 3), random),
            "h0 upper", DropoutCells.awayFromZero(Shape.of(batch, 2), random),
            "c0 upper", DropoutCells.awayFromZero(Shape.of(batch, 2), random));
    Tensor outputWeights = DropoutCells.awayFromZero(Shape.of(batch, steps, 2), random);

    GradCheckResult result =
        BpttChecks.overInputsAndParameters(
                inputs,
                stack,
                in -> {
                  StackedCell<LstmState> cell = stack.withDropout(0.4, new Random(MASK_SEED));
                  StackedState<LstmState> initial =
                      new StackedState<>(
                          ImmutableList.of(
                              new LstmState(in.get("h0 lower"), in.get("c0 lower")),
                              new LstmState(in.get("h0 upper"), in.get("c0 upper"))));
                  Var outputs = new Recurrent<>(cell).run(in.get("x"), initial, null).stacked();
                  return outputs.mul(Var.constant(outputWeights)).sum();
                })
            .check();

    assertTrue(result.passed(), result::toString);
    assertEquals(BpttChecks.elementCount(inputs, stack), result.comparisons());
  }

  @Example
  void evaluationModeGivesTheNumbersOfTheStackWithoutDropoutBitForBit() {
    Random random = new Random(1);
    StackedCell<LstmState> plain =
        new StackedCell<>(LstmCell.random(2, 3, random), LstmCell.random(3, 2, random));
    StackedCell<LstmState> dropping = plain.withDropout(0.5, new Random(2));
    Var x = Var.constant(DropoutCells.awayFromZero(Shape.of(2, 4, 2), random));

    Tensor inTraining = new Recurrent<>(dropping).run(x).stacked().value();
    dropping.eval();
    Tensor inEvaluation = new Recurrent<>(dropping).run(x).stacked().value();

    Tensor expected = new Recurrent<>(plain).run(x).stacked().value();
    assertEquals(expected, inEvaluation);
    assertNotEquals(expected, inTraining);
  }

  @Example
  void dropoutIsBetweenLayersAndNeverOnTheLastLayersOutput() {
    Random random = new Random(3);
    LstmCell lower = LstmCell.random(2, 3, random);
    LstmCell upper = LstmCell.random(3, 2, random);
    Var x = Var.constant(DropoutCells.awayFromZero(Shape.of(2, 4, 2), random));

    // With p = 1 the upper layer reads zeros at every step; its own output is never dropped.
    Tensor dropped =
        new Recurrent<>(new StackedCell<>(lower, upper).withDropout(1.0, new Random(4)))
            .run(x)
            .stacked()
            .value();

    Tensor upperOnZeros =
        new Recurrent<>(upper).run(Var.constant(Tensor.zeros(2, 4, 3))).stacked().value();
    assertEquals(upperOnZeros, dropped);
  }

  @Example
  void modeReachesEveryModuleBelowTheOneSwitched() {
    Random random = new Random(5);
    LstmCell lower = LstmCell.random(2, 3, random);
    StackedCell<LstmState> cell =
        new StackedCell<>(lower, LstmCell.random(3, 2, random)).withDropout(0.2, random);
    assertTrue(cell.isTraining() && lower.isTraining());

    cell.eval();
    assertTrue(!cell.isTraining() && !lower.isTraining());

    cell.train();
    assertTrue(cell.isTraining() && lower.isTraining());
  }

  @Example
  void dropoutProbabilityOutsideTheUnitIntervalIsRejected() {
    StackedCell<LstmState> cell = new StackedCell<>(LstmCell.random(2, 3, new Random(6)));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> cell.withDropout(1.5, new Random(7)));

    assertEquals("StackedCell: dropout p = 1.5 must be in [0, 1]", e.getMessage());
  }

  @Example
  void stackedStateMapsEveryLayersHiddenStateAndNoMemory() {
    LstmState a = LstmState.zeros(1, 2);
    LstmState b = LstmState.zeros(1, 3);
    StackedState<LstmState> state = new StackedState<>(ImmutableList.of(a, b));

    StackedState<LstmState> mapped = state.mapHidden(h -> h.add(1));

    assertEquals(Tensor.ones(1, 2), mapped.layers().get(0).h().value());
    assertEquals(Tensor.ones(1, 3), mapped.layers().get(1).h().value());
    assertTrue(mapped.layers().get(0).c() == a.c() && mapped.layers().get(1).c() == b.c());
  }
}

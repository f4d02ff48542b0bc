package dev.rewind.layers.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.BpttChecks;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.VariationalDropout;
import dev.rewind.layers.leaky.SkipCell;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Variational dropout (Gal and Ghahramani, 2016) around any cell: one mask per sequence, the same
 * at every step, on the inputs, the hidden state fed back (an LSTM's h, never c) and the outputs;
 * new masks for each sequence and each row of a batch; the cell itself in evaluation mode; and,
 * with the masks fixed, BPTT through it matches central differences.
 */
class VariationalDropoutProperties {
  private static final long MASK_SEED = 13;

  @Property(tries = 8, seed = "20260102", edgeCases = EdgeCasesMode.NONE)
  void bpttThroughAWrappedLstmMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 4) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    LstmCell lstm = LstmCell.random(2, 3, random);
    ImmutableMap<String, Tensor> inputs =
        ImmutableMap.of(
            "x", DropoutCells.awayFromZero(Shape.of(batch, steps, 2), random),
            "h0", DropoutCells.awayFromZero(Shape.of(batch, 3), random),
            "c0", DropoutCells.awayFromZero(Shape.of(batch, 3), random));
    Tensor outputWeights = DropoutCells.awayFromZero(Shape.of(batch, steps, 3), random);
    Tensor memoryWeights = DropoutCells.awayFromZero(Shape.of(batch, 3), random);

    GradCheckResult result =
        BpttChecks.overInputsAndParameters(
                inputs,
                lstm,
                in -> {
                  VariationalDropout<LstmState> cell =
                      VariationalDropout.wrap(lstm, 0.3, 0.4, 0.2, new Random(MASK_SEED));
                  LstmState initial = new LstmState(in.get("h0"), in.get("c0"));
                  Recurrent.Unrolled<LstmState> run =
                      new Recurrent<>(cell).run(in.get("x"), initial, null);
                  Var outputs = run.stacked().mul(Var.constant(outputWeights)).sum();
                  return outputs.add(run.finalState().c().mul(Var.constant(memoryWeights)).sum());
                })
            .check();

    assertTrue(result.passed(), result::toString);
    assertEquals(BpttChecks.elementCount(inputs, lstm), result.comparisons());
  }

  @Example
  void inputAndOutputMasksAreTheSameAtEveryStepAndNewForEachRowAndSequence() {
    // A cell of the user's own that outputs its input: the outputs of ones are m_x * m_y.
    RecurrentCell<HiddenState> echo = RecurrentCell.of(20, 20, (x, h) -> x);
    VariationalDropout<HiddenState> cell =
        VariationalDropout.wrap(echo, 0.5, 0, 0.3, new Random(1));
    Recurrent<HiddenState> recurrent = new Recurrent<>(cell);
    Var ones = Var.constant(Tensor.ones(3, 5, 20));

    List<Var> first = recurrent.run(ones).outputs();
    List<Var> second = recurrent.run(ones).outputs();

    for (Var output : first) {
      assertEquals(first.get(0).value(), output.value());
    }
    Tensor mask = first.get(0).value();
    assertNotEquals(Layout.slice(mask, 0, 0, 1), Layout.slice(mask, 0, 1, 2));
    assertNotEquals(mask, second.get(0).value());
    double both = (1 / 0.5) * (1 / 0.7);
    for (double m : mask.toArray()) {
      assertTrue(m == 0 || m == both, () -> "mask element " + m);
    }
  }

  @Example
  void stateMaskIsTheSameAtEveryStepAndTheReturnedStateIsLeftUnmasked() {
    // A cell whose new state is ones, recording the state it is given.
    List<Tensor> given = new ArrayList<>();
    RecurrentCell<HiddenState> recorder =
        RecurrentCell.of(
            4,
            30,
            (x, h) -> {
              given.add(h.value());
              return Var.constant(Tensor.ones(h.shape()));
            });
    VariationalDropout<HiddenState> cell =
        VariationalDropout.wrap(recorder, 0, 0.4, 0, new Random(2));

    Recurrent.Unrolled<HiddenState> run =
        new Recurrent<>(cell).run(Var.constant(Tensor.ones(2, 6, 4)));

    Tensor mask = given.get(1);
    for (int t = 1; t < given.size(); t++) {
      assertEquals(mask, given.get(t), "step " + t);
    }
    assertEquals(Tensor.dropoutMask(Shape.of(2, 30), 0.4, new Random(2)), mask);
    assertEquals(Tensor.ones(2, 30), run.finalState().h().value());
  }

  @Example
  void lstmStateMaskTouchesHAndNeverC() {
    LstmState state =
        new LstmState(Var.constant(Tensor.ones(2, 3)), Var.constant(Tensor.ones(2, 3)));

    LstmState masked = state.mapHidden(h -> h.dropout(0.5, true, new Random(3)));

    assertSame(state.c(), masked.c());
    assertEquals(Tensor.dropoutMask(Shape.of(2, 3), 0.5, new Random(3)), masked.h().value());
  }

  @Example
  void evaluationModeIsTheWrappedCellBitForBitAndRecordsNothingMore() {
    Random random = new Random(4);
    LstmCell lstm = LstmCell.random(2, 3, random);
    VariationalDropout<LstmState> cell = VariationalDropout.wrap(lstm, 0.3, 0.3, 0.3, random);
    Var x = Var.constant(DropoutCells.awayFromZero(Shape.of(2, 5, 2), random));
    Tensor inTraining = new Recurrent<>(cell).run(x).stacked().value();
    cell.eval();

    try (Tape wrapped = Tape.record()) {
      Tensor inEvaluation = new Recurrent<>(cell).run(x).stacked().value();
      try (Tape plain = Tape.record()) {
        Tensor expected = new Recurrent<>(lstm).run(x).stacked().value();

        assertEquals(expected, inEvaluation);
        assertNotEquals(expected, inTraining);
        assertEquals(plain.size(), wrapped.size() - plain.size());
      }
    }
  }

  @Example
  void wrappedModuleIsAChildWhoseParametersAndModeFollowTheWrapper() {
    LstmCell lstm = LstmCell.random(2, 3, new Random(5));
    VariationalDropout<LstmState> cell =
        VariationalDropout.wrap(lstm, 0.1, 0.1, 0.1, new Random(6));

    cell.eval();

    assertEquals(lstm.parameters(), cell.parameters());
    assertTrue(cell.namedParameters().keySet().stream().allMatch(name -> name.startsWith("cell.")));
    assertTrue(!lstm.isTraining());
  }

  @Example
  void probabilityOutsideTheUnitIntervalIsRejected() {
    LstmCell lstm = LstmCell.random(2, 3, new Random(7));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> VariationalDropout.wrap(lstm, 0.1, 1.5, 0.1, new Random(8)));

    assertEquals("VariationalDropout: pState = 1.5 must be in [0, 1]", e.getMessage());
  }

  @Example
  void stateMaskForAStateThatDoesNotSayWhereHIsIsRejectedWhenWrapping() {
    SkipCell skip = SkipCell.random(2, 3, 2, new Random(9));

    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> VariationalDropout.wrap(skip, 0, 0.2, 0, new Random(10)));

    assertEquals(
        "SkipState does not say which part is its hidden state h: implement"
            + " RecurrentState.mapHidden",
        e.getMessage());
    assertEquals(2, VariationalDropout.wrap(skip, 0.2, 0, 0.2, new Random(10)).inputSize());
  }
}

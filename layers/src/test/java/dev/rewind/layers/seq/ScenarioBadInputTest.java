package dev.rewind.layers.seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.TanhCell;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad input to a scenario fails at once with a message naming the scenario, cell and sizes. */
class ScenarioBadInputTest {
  private final RecurrentCell<HiddenState> cell =
      RecurrentCell.of(2, 3, (x, h) -> x.matmul(Var.constant(Tensor.ones(2, 3))).add(h).tanh());
  private final TanhCell module = new TanhCell(2, 3, new Random(1));

  @Test
  void manyToOneNeedsARealStepInEverySequence() {
    Tensor mask = Tensor.matrix(new double[][] {{1, 1, 0, 0}, {0, 0, 0, 0}});

    assertEquals(
        "ManyToOne(RecurrentCell.of(2, 3)): sequence 1 of the mask [2, 4] has no real step, so no"
            + " last output",
        message(
            () ->
                new ManyToOne<>(cell, y -> y)
                    .run(Var.constant(Tensor.zeros(2, 4, 2)), null, mask)));
  }

  @Test
  void oneToManyChecksItsFirstInputItsLengthAndWhatItFeedsBack() {
    OneToMany<HiddenState> scenario = new OneToMany<>(cell, y -> y);

    assertEquals(
        "OneToMany(RecurrentCell.of(2, 3)): the first input [4, 5] must be [batch, 2]",
        message(() -> scenario.run(Var.constant(Tensor.zeros(4, 5)), 3)));
    assertEquals(
        "OneToMany(RecurrentCell.of(2, 3)): needs at least one step, was asked for 0",
        message(() -> scenario.run(Var.constant(Tensor.zeros(4, 2)), 0)));
    assertEquals(
        "OneToMany(RecurrentCell.of(2, 3)): step 0 feeds back [4, 3] but the cell takes inputs"
            + " [4, 2]; a readout to 2 features (or a feedback mapping to them) is needed",
        message(() -> scenario.run(Var.constant(Tensor.zeros(4, 2)), 2)));
  }

  @Test
  void scenariosRejectEmptySequencesAndWrongFeatureSizes() {
    assertEquals(
        "TanhCell: the sequence is empty: inputs [2, 0, 2]",
        message(() -> new ManyToMany<>(module, y -> y).run(Var.constant(Tensor.zeros(2, 0, 2)))));
    assertEquals(
        "TanhCell: inputs [2, 4, 5] have 5 features per step but the cell takes 2",
        message(
            () -> new Bidirectional<>(module, module).run(Var.constant(Tensor.zeros(2, 4, 5)))));
    assertEquals(
        "TanhCell: mask has shape [2, 3] but the inputs [2, 4, 2] need [2, 4]",
        message(
            () ->
                new Bidirectional<>(module, module)
                    .run(Var.constant(Tensor.zeros(2, 4, 2)), null, Tensor.ones(2, 3))));
    assertEquals(
        "RecurrentCell.of(2, 3): inputs [2, 3, 4] have 4 features per step but the cell takes 2",
        message(
            () ->
                EncoderDecoder.of(module, cell, y -> y)
                    .teacherForced(
                        Var.constant(Tensor.zeros(2, 5, 2)),
                        null,
                        Var.constant(Tensor.zeros(2, 3, 4)),
                        null)));
  }

  private static String message(Supplier<?> action) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> {
              Object unused = action.get();
            })
        .getMessage();
  }
}

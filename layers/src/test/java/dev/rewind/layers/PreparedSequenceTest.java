package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellCase.Subject;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of {@link RecurrentCell#prepare}: for every cell of the registry ({@link
 * CellCases}), a sequence run through it gives the numbers of stepping {@code step(x(t), state)}
 * one step at a time, to the bit; and a sequence or state that does not fit is named once, when
 * prepared or at its step.
 */
class PreparedSequenceTest {
  private static final Random RANDOM = new Random(17);

  // NOTE: the registry's cells and sequences are small enough (a few hundred multiply-adds a
  // product) that every product runs on the Java kernel, where one tall product of the whole
  // sequence and one short product per step give the same bits; native BLAS, which takes products
  // from 4096 multiply-adds, may round a tall one differently.
  @TestFactory
  Stream<DynamicTest> aPreparedSequenceGivesTheNumbersOfItsSteps() {
    return CellCases.all().stream()
        .flatMap(
            cellCase -> {
              Subject subject = cellCase.build().get();
              return subject.cell().stream()
                  .map(run -> dynamicTest(cellCase.name(), () -> assertSameNumbers(run, subject)));
            });
  }

  private static void assertSameNumbers(CellRun<?> run, Subject subject) {
    Var inputs = Var.constant(subject.inputs());
    List<Var> unrolled = run.unrolled(inputs);
    List<Var> stepped = run.stepped(inputs);
    assertEquals(stepped.size(), unrolled.size());
    for (int i = 0; i < stepped.size(); i++) {
      assertArrayEquals(
          stepped.get(i).value().toArray(),
          unrolled.get(i).value().toArray(),
          "value " + i + " (the step outputs, then the final state)");
    }
  }

  @Test
  void aSequenceOfTheWrongFeatureSizeIsNamedWhenPrepared() {
    Var fiveFeatures = Var.constant(Tensor.zeros(3, 5, 5));

    assertEquals(
        "GruCell: inputs [3, 5, 5] must be [batch, time, 4], the features weightIh expects",
        prepareFails(GruCell.random(4, 6, RANDOM), fiveFeatures));
    assertEquals(
        "LstmCell: inputs [3, 5, 5] must be [batch, time, 4], the features weightIh expects",
        prepareFails(LstmCell.random(4, 6, RANDOM), fiveFeatures));
    assertEquals(
        "ElmanCell: inputs [3, 5, 5] must be [batch, time, 4], the features U expects",
        prepareFails(ElmanCell.random(4, 6, Activation.TANH, RANDOM), fiveFeatures));
  }

  @Test
  void aStateOfAnotherBatchThanThePreparedSequenceIsNamed() {
    Var inputs = Var.constant(Tensor.zeros(3, 5, 4));
    GruCell gru = GruCell.random(4, 6, RANDOM);
    LstmCell lstm = LstmCell.random(4, 6, RANDOM);

    assertEquals(
        "GruCell: state h has shape [2, 6] but input [3, 4] and 6 hidden units need [3, 6]",
        stepFails(gru, inputs, gru.initialState(2)));
    assertEquals(
        "LstmCell: state h has shape [2, 6] but input [3, 4] and 6 hidden units need [3, 6]",
        stepFails(lstm, inputs, lstm.initialState(2)));
  }

  private static String prepareFails(RecurrentCell<?> cell, Var inputs) {
    return assertThrows(IllegalArgumentException.class, () -> cell.prepare(inputs)).getMessage();
  }

  private static <S extends RecurrentState<S>> String stepFails(
      RecurrentCell<S> cell, Var inputs, S state) {
    RecurrentCell.Prepared<S> sequence = cell.prepare(inputs);
    return assertThrows(IllegalArgumentException.class, () -> sequence.step(2, state)).getMessage();
  }
}

package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How many ops the standard cells record on the tape, unrolled: each op is a record, a fresh output
 * tensor and a backward call, so a step that records one more costs more at small sizes. The counts
 * come from runs of 10 and 20 steps: their difference is 10 steps' ops, and what remains of the
 * shorter run is done once per sequence.
 */
class OpsPerStepTest {
  /**
   * An LSTM step: {@code recurrentAffine}, reading x(t) in place, and {@code lstmGates}, one op
   * with the two outputs h' and c'. The biases' sum is the sequence's one op.
   */
  private static final OpCount LSTM = new OpCount(2, 1);

  /**
   * A GRU step: {@code h W_hh + b_hh} ({@code affine}) and {@code gruGates}, reading its step of
   * the input's projection in place. The projection of the whole sequence ({@code affine}) is the
   * sequence's one op.
   */
  private static final OpCount GRU = new OpCount(2, 1);

  /** An Elman step with tanh: {@code rnnTanhCell}, reading its input in place. */
  private static final OpCount ELMAN_TANH = new OpCount(1, 0);

  private static final Random RANDOM = new Random(5);

  @Test
  void anLstmRecordsItsGatesAndTheirSplitPerStep() {
    assertEquals(LSTM, count(LstmCell.random(3, 4, RANDOM)));
  }

  @Test
  void aGruRecordsItsProjectionOncePerSequence() {
    assertEquals(GRU, count(GruCell.random(GruCell.Form.RESET_AFTER, 3, 4, RANDOM)));
  }

  @Test
  void anElmanCellWithTanhRecordsOneOpPerStep() {
    assertEquals(ELMAN_TANH, count(ElmanCell.random(3, 4, Activation.TANH, RANDOM)));
  }

  /** The ops recorded per step and once per sequence. */
  private record OpCount(int perStep, int perSequence) {}

  private static <S extends RecurrentState<S>> OpCount count(RecurrentCell<S> cell) {
    int ten = recorded(cell, 10);
    int twenty = recorded(cell, 20);
    int perStep = (twenty - ten) / 10;
    return new OpCount(perStep, ten - 10 * perStep);
  }

  private static <S extends RecurrentState<S>> int recorded(RecurrentCell<S> cell, int steps) {
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(2, steps, 3), 0, 1, RANDOM));
    try (Tape tape = Tape.record()) {
      Recurrent.Unrolled<S> unused = new Recurrent<>(cell).run(inputs);
      return tape.size();
    }
  }
}

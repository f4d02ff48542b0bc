package dev.rewind.layers.seq;

import static dev.rewind.layers.SequenceFixtures.assertClose;
import static dev.rewind.layers.SequenceFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.TanhCell;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scenarios of notes 001 and 004 compute what their equations say, and name their parts. */
class ScenarioBehaviourTest {
  private final Random random = new Random(20261122);
  private final Var u = Var.constant(normal(random, 0.7, 2, 3));
  private final Var w = Var.constant(normal(random, 0.7, 3, 3));
  private final Var b = Var.constant(normal(random, 0.3, 3));
  private final Var v = Var.constant(normal(random, 0.7, 3, 2));
  private final Var c = Var.constant(normal(random, 0.3, 2));
  private final RecurrentCell<HiddenState> cell = Cells.tanh(u, w, b);

  @Test
  void oneToManyFeedsEachReadoutBackAsTheNextInput() {
    Var first = Var.constant(normal(random, 1, 4, 2));

    Unrolled<HiddenState> run = new OneToMany<>(cell, Cells.affine(v, c)).run(first, 5);

    Var x = first;
    Var h = Var.constant(Tensor.zeros(4, 3));
    for (int t = 0; t < 5; t++) {
      h = x.matmul(u).add(h.matmul(w)).add(b).tanh();
      Var y = h.matmul(v).add(c);
      assertClose(y.value(), run.outputs().get(t).value(), "y(" + (t + 1) + ")");
      x = y;
    }
    assertClose(h.value(), run.finalState().h().value(), "final state");
  }

  @Test
  void oneToManyCanFeedBackAConstantSuchAsAnArgMax() {
    Var first = Var.constant(Tensor.matrix(new double[][] {{1, 0}}));

    Unrolled<HiddenState> run =
        new OneToMany<>(cell, Cells.affine(v, c), y -> Var.constant(Layout.oneHot(argMax(y), 2)))
            .run(first, 4);

    Var x = first;
    Var h = Var.constant(Tensor.zeros(1, 3));
    for (int t = 0; t < 4; t++) {
      h = x.matmul(u).add(h.matmul(w)).add(b).tanh();
      Var y = h.matmul(v).add(c);
      assertClose(y.value(), run.outputs().get(t).value(), "y(" + (t + 1) + ")");
      x = Var.constant(Layout.oneHot(argMax(y), 2));
    }
  }

  @Test
  void encoderDecoderStartsTheDecoderFromTheEncodersFinalState() {
    RecurrentCell<HiddenState> decoder =
        Cells.tanh(
            Var.constant(normal(random, 0.7, 2, 3)), Var.constant(normal(random, 0.7, 3, 3)), b);
    Var source = Var.constant(normal(random, 1, 2, 5, 2));
    Var decoderInputs = Var.constant(normal(random, 1, 2, 3, 2));

    Unrolled<HiddenState> run =
        EncoderDecoder.of(cell, decoder, Cells.affine(v, c))
            .teacherForced(source, null, decoderInputs, null);

    HiddenState encoded = new Recurrent<>(cell).run(source).finalState();
    Unrolled<HiddenState> expected =
        new ManyToMany<>(decoder, Cells.affine(v, c)).run(decoderInputs, encoded, null);
    assertEquals(3, run.outputs().size());
    assertClose(expected.stacked().value(), run.stacked().value(), "decoder outputs");
  }

  @Test
  void aBridgeMapsTheEncodersStateToTheDecodersSize() {
    Linear bridge = new Linear(3, 4, random);
    RecurrentCell<HiddenState> decoder =
        Cells.tanh(
            Var.constant(normal(random, 0.7, 2, 4)),
            Var.constant(normal(random, 0.7, 4, 4)),
            Var.constant(normal(random, 0.3, 4)));
    Var source = Var.constant(normal(random, 1, 2, 6, 2));
    EncoderDecoder<HiddenState, HiddenState> scenario =
        new EncoderDecoder<>(
            cell,
            decoder,
            state -> new HiddenState(bridge.apply(state.h()).tanh()),
            new Linear(4, 2, random),
            y -> y);

    HiddenState start = scenario.encode(source, null);

    Var encoded = new Recurrent<>(cell).run(source).finalState().h();
    assertClose(bridge.apply(encoded).tanh().value(), start.h().value(), "bridged state");
    // The bridge is a lambda over a Linear, so the Linear's weights are the caller's to list.
    assertEquals(
        List.of("readout.weight", "readout.bias"),
        List.copyOf(scenario.namedParameters().keySet()));
    assertEquals(
        4,
        scenario.generate(source, null, Var.constant(normal(random, 1, 2, 2)), 4).outputs().size());
  }

  @Test
  void bidirectionalJoinsTheForwardAndTheReversedRunStepByStep() {
    RecurrentCell<HiddenState> reverse =
        Cells.tanh(
            Var.constant(normal(random, 0.7, 2, 1)),
            Var.constant(normal(random, 0.7, 1, 1)),
            Var.constant(normal(random, 0.3, 1)));
    Var inputs = Var.constant(normal(random, 1, 2, 4, 2));

    Unrolled<Bidirectional.States<HiddenState>> run =
        new Bidirectional<>(cell, reverse).run(inputs);

    Unrolled<HiddenState> ahead = new Recurrent<>(cell).run(inputs);
    Var reversed = Var.stack(1, ImmutableList.copyOf(inputs.unstack(1)).reverse());
    Unrolled<HiddenState> behind = new Recurrent<>(reverse).run(reversed);
    for (int t = 0; t < 4; t++) {
      Tensor expected =
          Layout.concat(
              List.of(ahead.outputs().get(t).value(), behind.outputs().get(3 - t).value()), 1);
      assertClose(expected, run.outputs().get(t).value(), "step " + t);
    }
    assertClose(
        behind.finalState().h().value(), run.finalState().reverse().h().value(), "reverse state");
  }

  @Test
  void scenariosNameTheParametersOfTheirModules() {
    TanhCell forward = new TanhCell(2, 3, random);
    TanhCell backward = new TanhCell(2, 3, random);
    Linear readout = new Linear(3, 2, random);

    assertEquals(
        List.of("cell.U", "cell.W", "cell.b", "readout.weight", "readout.bias"),
        List.copyOf(new ManyToMany<>(forward, readout).namedParameters().keySet()));
    assertEquals(
        List.of("cell.U", "cell.W", "cell.b", "readout.weight", "readout.bias"),
        List.copyOf(new ManyToOne<>(forward, readout).namedParameters().keySet()));
    assertEquals(
        List.of("forward.U", "forward.W", "forward.b", "reverse.U", "reverse.W", "reverse.b"),
        List.copyOf(new Bidirectional<>(forward, backward).namedParameters().keySet()));
    // One cell as both encoder and decoder: its weights are listed once.
    assertEquals(
        List.of("encoder.U", "encoder.W", "encoder.b", "readout.weight", "readout.bias"),
        List.copyOf(EncoderDecoder.of(forward, forward, readout).namedParameters().keySet()));
    // A lambda's weights are the caller's to list.
    assertEquals(
        List.of("readout.weight", "readout.bias"),
        List.copyOf(new ManyToMany<>(cell, readout).namedParameters().keySet()));
    assertEquals(
        forward.parameterCount() + readout.parameterCount(),
        new ManyToMany<>(forward, readout).parameterCount());
  }

  private static int[] argMax(Var y) {
    Tensor value = y.value();
    int[] result = new int[value.shape().dim(0)];
    for (int row = 0; row < result.length; row++) {
      for (int k = 1; k < value.shape().dim(1); k++) {
        if (value.get(row, k) > value.get(row, result[row])) {
          result[row] = k;
        }
      }
    }
    return result;
  }
}

package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellCase.Subject;
import dev.rewind.layers.lstm.LstmCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checkpointed BPTT ({@link Recurrent#checkpointed}) gives every cell of the registry ({@link
 * CellCases}: the library's cells, a stack with dropout between its layers, variational dropout, a
 * lambda cell) the plain run's gradients to the bit, of every parameter, of the inputs and of the
 * initial state, for segments of 1 step, of several (dividing the sequence or not), of the whole
 * sequence and of the default ⌈√T⌉, with and without a mask; and keeps one node per segment.
 */
class CheckpointedBpttTest {
  private static final int STEPS = CheckpointedCases.STEPS;

  @TestFactory
  Stream<DynamicNode> everyCellGetsThePlainGradientsToTheBit() {
    return CheckpointedCases.everyCellWithAndWithoutAMask(
        CheckpointedBpttTest::checkEverySegmentLength);
  }

  private static void checkEverySegmentLength(CellCase cellCase, Tensor mask) {
    Subject subject = cellCase.build().get();
    CellRun<?> run = subject.cell().orElseThrow();
    List<Tensor> plain = gradients(run, subject.parameters(), UnaryOperator.identity(), mask);
    for (int length : CheckpointedCases.SEGMENT_LENGTHS) {
      assertEquals(
          plain,
          gradients(run, subject.parameters(), r -> r.checkpointed(length), mask),
          cellCase + ", segments of " + length);
    }
    assertEquals(
        plain,
        gradients(run, subject.parameters(), Recurrent::checkpointed, mask),
        cellCase + ", segments of ⌈√T⌉");
  }

  /**
   * The gradients of the registry's loss over a run of {@code STEPS} steps from a random initial
   * state, with respect to every parameter, the inputs and each tensor of the initial state.
   */
  private static <S extends RecurrentState<S>> List<Tensor> gradients(
      CellRun<S> run,
      Map<String, Parameter> parameters,
      UnaryOperator<Recurrent<S>> unroll,
      Tensor mask) {
    RecurrentCell<S> cell = run.cellPerRun().get();
    Random random = new Random(40);
    Var inputs =
        Var.constant(
            Tensor.randomNormal(Shape.of(2, STEPS, cell.inputSize()), 0, 1, new Random(41)));
    S zeros = cell.initialState(2);
    ImmutableMap.Builder<String, Tensor> initialTensors = ImmutableMap.builder();
    zeros
        .shapes()
        .forEach(
            (name, shape) -> initialTensors.put(name, Tensor.randomNormal(shape, 0, 1, random)));
    S initial = zeros.withTensors(initialTensors.buildOrThrow());
    List<Var> wanted = new ArrayList<>(parameters.values());
    wanted.add(inputs);
    wanted.addAll(CellCases.stateVars(initial));
    try (Tape tape = Tape.record()) {
      Recurrent.Unrolled<S> unrolled =
          unroll.apply(new Recurrent<>(cell)).run(inputs, initial, mask);
      Var loss = CellCases.loss(unrolled.outputs(), List.of(unrolled.finalState()));
      Gradients gradients = tape.gradient(loss, wanted);
      return wanted.stream().map(gradients::tensor).toList();
    }
  }

  @Test
  void aRunKeepsOneNodePerSegment() {
    int steps = 16;
    LstmCell cell = LstmCell.random(3, 4, new Random(1));
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(2, steps, 3), 0, 1, new Random(2)));
    int plain = nodes(new Recurrent<>(cell), inputs);
    int oneSegment = nodes(new Recurrent<>(cell).checkpointed(steps), inputs);
    for (int length : new int[] {1, 3, 4, 5, 16}) {
      int segments = (steps + length - 1) / length;
      assertEquals(
          oneSegment + segments - 1,
          nodes(new Recurrent<>(cell).checkpointed(length), inputs),
          "segments of " + length);
    }
    int squareRoot = nodes(new Recurrent<>(cell).checkpointed(), inputs);
    assertEquals(oneSegment + 3, squareRoot);
    assertTrue(squareRoot < plain, squareRoot + " nodes, plain " + plain);
  }

  private static int nodes(Recurrent<?> recurrent, Var inputs) {
    try (Tape tape = Tape.record()) {
      var unused = recurrent.run(inputs);
      return tape.size();
    }
  }

  @Test
  void gradientsOfGradientsAreRefused() {
    TanhCell cell = new TanhCell(3, 4, new Random(3));
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(2, 5, 3), 0, 1, new Random(4)));
    try (Tape outer = Tape.record();
        Tape inner = Tape.record()) {
      Var loss = new Recurrent<>(cell).checkpointed(2).run(inputs).last().sum();
      IllegalStateException error =
          assertThrows(IllegalStateException.class, () -> inner.gradient(loss, cell.parameters()));
      assertTrue(error.getMessage().startsWith("recompute: gradients of gradients"));
    }
  }

  @Test
  void aStateThatDoesNotListItsValuesIsRefused() {
    RecurrentCell<Unlisted> cell =
        new RecurrentCell<>() {
          @Override
          public int inputSize() {
            return 1;
          }

          @Override
          public Unlisted initialState(int batchSize) {
            return new Unlisted(Var.constant(Tensor.zeros(batchSize, 1)));
          }

          @Override
          public Step<Unlisted> step(Var input, Unlisted state) {
            Var h = input.add(state.h());
            return new Step<>(h, new Unlisted(h));
          }
        };
    try (Tape tape = Tape.record()) {
      UnsupportedOperationException error =
          assertThrows(
              UnsupportedOperationException.class,
              () -> new Recurrent<>(cell).checkpointed(2).run(Var.constant(Tensor.zeros(1, 3, 1))));
      assertEquals(
          "Unlisted does not list its values: implement RecurrentState.mapAll to run it"
              + " checkpointed",
          error.getMessage());
    }
  }

  /** A state of one's own that does not implement {@link RecurrentState#mapAll}. */
  private record Unlisted(Var h) implements RecurrentState<Unlisted> {
    @Override
    public Unlisted where(Tensor keep, Unlisted previous) {
      return new Unlisted(Var.where(keep, h, previous.h));
    }

    @Override
    public Unlisted detach() {
      return new Unlisted(h.detach());
    }

    @Override
    public ImmutableMap<String, Tensor> tensors() {
      return ImmutableMap.of("h", h.value());
    }

    @Override
    public Unlisted withTensors(Map<String, Tensor> tensors) {
      RecurrentState.checkFits(this, tensors);
      return new Unlisted(Var.constant(tensors.get("h")));
    }
  }
}

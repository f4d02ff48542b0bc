package dev.rewind.layers.seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every scenario that unrolls a sequence, run {@code checkpointed(k)} (k = 1, several, dividing the
 * sequence or not, the whole sequence, more) or {@code checkpointed()} (⌈√T⌉), gives the plain
 * scenario's loss and gradients to the bit: of every parameter, of the inputs and of the initial
 * state, with and without a mask, from a shorter tape; and refuses a segment length below 1, naming
 * the cell. {@link ManyToMany#runWithLoss} gives its plain run's to the bit too, and the stacked
 * formulation's (one loss over every step) up to rounding.
 */
class CheckpointedScenariosTest {
  private static final int STEPS = 7;
  private static final int[] SEGMENT_LENGTHS = {1, 2, 3, STEPS, STEPS + 3};
  // Row 1 has a masked step in the middle and padding at the end; each row has a real step.
  private static final Tensor MASK =
      Tensor.of(Shape.of(2, STEPS), 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0);

  private final Random random = new Random(11);
  private final LstmCell cell = LstmCell.random(3, 4, random);
  private final LstmCell other = LstmCell.random(3, 4, random);
  private final Linear readout = new Linear(4, 3, random);
  private final Var inputs = normal(2, STEPS, 3);
  private final Var decoderInputs = normal(2, STEPS - 2, 3);
  private final LstmState initial = new LstmState(normal(2, 4), normal(2, 4));
  private final Var outputWeights = normal(2, STEPS, 3);

  @Test
  void manyToManyGetsThePlainGradientsToTheBit() {
    for (Tensor mask : Arrays.asList(null, MASK)) {
      assertCheckpointedIsPlain(
          new ManyToMany<>(cell, readout),
          ManyToMany::checkpointed,
          ManyToMany::checkpointed,
          scenario -> loss(scenario.run(inputs, initial, mask), outputWeights),
          mask);
    }
  }

  @Test
  void manyToManyWithALossAtEveryStepGetsThePlainGradientsToTheBit() {
    List<Var> weights = outputWeights.unstack(1);
    for (Tensor mask : Arrays.asList(null, MASK)) {
      assertCheckpointedIsPlain(
          new ManyToMany<>(cell, readout),
          ManyToMany::checkpointed,
          ManyToMany::checkpointed,
          scenario -> {
            Recurrent.Summed<LstmState> run =
                scenario.runWithLoss(
                    inputs, initial, mask, (t, y) -> y.mul(weights.get(t)).tanh().sum());
            return run.loss().add(stateLoss(run.finalState()));
          },
          mask);
    }
  }

  @Test
  void manyToManyWithALossAtEveryStepIsTheStackedLossUpToRounding() {
    List<Var> weights = outputWeights.unstack(1);
    List<Var> wanted = new ArrayList<>(new ManyToMany<>(cell, readout).parameters());
    wanted.add(inputs);
    for (Tensor mask : Arrays.asList(null, MASK)) {
      ManyToMany<LstmState> scenario = new ManyToMany<>(cell, readout).checkpointed(3);
      Run perStep =
          run(
              () ->
                  scenario
                      .runWithLoss(
                          inputs, initial, mask, (t, y) -> y.mul(weights.get(t)).tanh().sum())
                      .loss(),
              wanted);
      Run stacked =
          run(
              () -> scenario.run(inputs, initial, mask).stacked().mul(outputWeights).tanh().sum(),
              wanted);
      for (int i = 0; i < perStep.lossAndGradients().size(); i++) {
        Tensor a = perStep.lossAndGradients().get(i);
        Tensor b = stacked.lossAndGradients().get(i);
        for (int j = 0; j < a.shape().size(); j++) {
          double scale = Math.max(1, Math.abs(b.getFlat(j)));
          assertEquals(b.getFlat(j), a.getFlat(j), 1e-12 * scale, "value " + i + ", element " + j);
        }
      }
    }
  }

  @Test
  void manyToOneGetsThePlainGradientsToTheBit() {
    for (Tensor mask : Arrays.asList(null, MASK)) {
      assertCheckpointedIsPlain(
          new ManyToOne<>(cell, readout),
          ManyToOne::checkpointed,
          ManyToOne::checkpointed,
          scenario -> {
            ManyToOne.Result<LstmState> result = scenario.run(inputs, initial, mask);
            return result.output().tanh().sum().add(stateLoss(result.finalState()));
          },
          mask);
    }
  }

  @Test
  void bidirectionalGetsThePlainGradientsToTheBit() {
    Var weights = normal(2, STEPS, 8);
    Bidirectional.States<LstmState> initials =
        new Bidirectional.States<>(initial, new LstmState(normal(2, 4), normal(2, 4)));
    for (Tensor mask : Arrays.asList(null, MASK)) {
      assertCheckpointedIsPlain(
          new Bidirectional<>(cell, other),
          Bidirectional::checkpointed,
          Bidirectional::checkpointed,
          scenario -> {
            Unrolled<Bidirectional.States<LstmState>> run = scenario.run(inputs, initials, mask);
            return run.stacked()
                .mul(weights)
                .sum()
                .add(stateLoss(run.finalState().forward()))
                .add(stateLoss(run.finalState().reverse()));
          },
          mask,
          initials.reverse().h(),
          initials.reverse().c());
    }
  }

  @Test
  void encoderDecoderGetsThePlainGradientsToTheBit() {
    Var weights = normal(2, STEPS - 2, 3);
    Tensor targetMask = Tensor.of(Shape.of(2, STEPS - 2), 1, 1, 1, 1, 1, 1, 0, 1, 0, 0);
    for (Tensor mask : Arrays.asList(null, MASK)) {
      assertCheckpointedIsPlain(
          EncoderDecoder.of(cell, other, readout),
          EncoderDecoder::checkpointed,
          EncoderDecoder::checkpointed,
          scenario ->
              loss(
                  scenario.teacherForced(
                      inputs, mask, decoderInputs, mask == null ? null : targetMask),
                  weights),
          mask,
          decoderInputs);
    }
  }

  @Test
  void aSegmentLengthBelowOneIsRefusedNamingTheCell() {
    String zero = "LstmCell: checkpointed every 0 steps: the segment length must be at least 1";
    String negative =
        "LstmCell: checkpointed every -3 steps: the segment length must be at least 1";
    assertEquals(zero, refusal(() -> new ManyToMany<>(cell, readout).checkpointed(0)));
    assertEquals(negative, refusal(() -> new ManyToOne<>(cell, readout).checkpointed(-3)));
    assertEquals(zero, refusal(() -> new Bidirectional<>(cell, other).checkpointed(0)));
    assertEquals(negative, refusal(() -> EncoderDecoder.of(cell, other, readout).checkpointed(-3)));
  }

  @Test
  void aCheckpointedScenarioListsThePlainOnesParameters() {
    ManyToMany<LstmState> plain = new ManyToMany<>(cell, readout);
    assertEquals(plain.namedParameters(), plain.checkpointed(2).namedParameters());
    EncoderDecoder<LstmState, LstmState> both = EncoderDecoder.of(cell, other, readout);
    assertEquals(both.namedParameters(), both.checkpointed().namedParameters());
    assertTrue(both.namedParameters().containsKey("decoder.weightHh"));
  }

  /**
   * The loss and gradients of {@code plain} equal those of {@code bySegments} for every length and
   * of {@code byRoot}, with respect to its parameters, the inputs, the initial state and {@code
   * more}; and each checkpointed run leaves fewer nodes on the tape.
   */
  private <L extends Layer> void assertCheckpointedIsPlain(
      L plain,
      BiFunction<L, Integer, L> bySegments,
      Function<L, L> byRoot,
      Function<L, Var> loss,
      Tensor mask,
      Var... more) {
    List<Var> wanted = new ArrayList<>(plain.parameters());
    wanted.add(inputs);
    wanted.add(initial.h());
    wanted.add(initial.c());
    wanted.addAll(Arrays.asList(more));
    Run expected = run(() -> loss.apply(plain), wanted);
    String masked = mask == null ? "without a mask" : "with a mask";
    List<L> checkpointed = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int length : SEGMENT_LENGTHS) {
      checkpointed.add(bySegments.apply(plain, length));
      names.add("segments of " + length);
    }
    checkpointed.add(byRoot.apply(plain));
    names.add("segments of ⌈√T⌉");
    for (int i = 0; i < checkpointed.size(); i++) {
      L scenario = checkpointed.get(i);
      Run actual = run(() -> loss.apply(scenario), wanted);
      String what = plain.name() + " in " + names.get(i) + ", " + masked;
      assertEquals(expected.lossAndGradients(), actual.lossAndGradients(), what);
      assertTrue(
          actual.nodes() < expected.nodes(),
          what + ": " + actual.nodes() + " nodes, plain " + expected.nodes());
    }
  }

  /**
   * The loss's value, then its gradient with respect to each of {@code wanted}; the tape's size.
   */
  private record Run(List<Tensor> lossAndGradients, int nodes) {}

  private static Run run(Supplier<Var> loss, List<Var> wanted) {
    try (Tape tape = Tape.record()) {
      Var value = loss.get();
      Gradients gradients = tape.gradient(value, wanted);
      List<Tensor> result = new ArrayList<>();
      result.add(value.value());
      wanted.forEach(x -> result.add(gradients.tensor(x)));
      return new Run(result, tape.size());
    }
  }

  private static Var loss(Unrolled<LstmState> run, Var weights) {
    return run.stacked().mul(weights).sum().add(stateLoss(run.finalState()));
  }

  private static Var stateLoss(LstmState state) {
    return state.h().square().sum().add(state.c().tanh().sum());
  }

  private Var normal(int... dims) {
    return Var.constant(Tensor.randomNormal(Shape.of(dims), 0, 1, random));
  }

  private static String refusal(Supplier<?> action) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> {
              Object unused = action.get();
            })
        .getMessage();
  }
}

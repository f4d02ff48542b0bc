package dev.rewind.layers.seq;

import static dev.rewind.layers.SequenceFixtures.assertClose;
import static dev.rewind.layers.SequenceFixtures.normal;
import static dev.rewind.layers.SequenceFixtures.pick;
import static dev.rewind.layers.SequenceFixtures.randomMask;
import static dev.rewind.layers.SequenceFixtures.realSteps;
import static dev.rewind.layers.SequenceFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every scenario treats a padded (masked) step as absent: a batch of sequences with random masks,
 * holes included, gets the outputs, final states and gradients of running each sequence alone on
 * its real steps, to 1e-12.
 */
class MaskedScenarioProperties {

  /** Random weights for a tanh cell of each direction and a readout. */
  private static final class Weights {
    final List<Parameter> all = new ArrayList<>();
    final RecurrentCell<HiddenState> cell;
    final RecurrentCell<HiddenState> other;
    final UnaryOperator<Var> readout;

    Weights(Random random, int features, int hidden, int outputs) {
      cell = cell(random, features, hidden);
      other = cell(random, features, hidden);
      Parameter v = add(new Parameter("V", normal(random, 0.7, hidden, outputs)));
      Parameter c = add(new Parameter("c", normal(random, 0.3, outputs)));
      readout = Cells.affine(v, c);
    }

    private RecurrentCell<HiddenState> cell(Random random, int features, int hidden) {
      return Cells.tanh(
          add(new Parameter("U", normal(random, 0.7, features, hidden))),
          add(new Parameter("W", normal(random, 0.7, hidden, hidden))),
          add(new Parameter("b", normal(random, 0.3, hidden))));
    }

    private Parameter add(Parameter p) {
      all.add(p);
      return p;
    }

    List<Tensor> zeros() {
      return all.stream().map(p -> Tensor.zeros(p.shape())).toList();
    }
  }

  @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
  void manyToManyTreatsPaddedStepsAsAbsent(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int hidden) {
    Random random = new Random(seed);
    Weights weights = new Weights(random, features, hidden, 2);
    Tensor mask = randomMask(random, batch, steps, true);
    Tensor inputs = normal(random, 1, batch, steps, features);
    Tensor lossWeights = normal(random, 1, batch, steps, 2);
    ManyToMany<HiddenState> scenario = new ManyToMany<>(weights.cell, weights.readout);

    compareWithEachSequenceAlone(
        weights,
        mask,
        () -> {
          Unrolled<HiddenState> run = scenario.run(Var.constant(inputs), null, mask);
          assertPaddedStepsAreZero(run.stacked().value(), mask);
          return run.stacked().mul(Var.constant(lossWeights)).sum();
        },
        (b, real) -> {
          Unrolled<HiddenState> run = scenario.run(Var.constant(pick(inputs, b, real)));
          return run.stacked().mul(Var.constant(pick(lossWeights, b, real))).sum();
        });
  }

  @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
  void manyToOneReadsEachSequencesOwnLastRealStep(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int hidden) {
    Random random = new Random(seed);
    Weights weights = new Weights(random, features, hidden, 2);
    Tensor mask = randomMask(random, batch, steps, true);
    Tensor inputs = normal(random, 1, batch, steps, features);
    Tensor lossWeights = normal(random, 1, batch, 2);
    ManyToOne<HiddenState> scenario = new ManyToOne<>(weights.cell, weights.readout);
    AtomicReference<Tensor> batchedOutput = new AtomicReference<>();

    compareWithEachSequenceAlone(
        weights,
        mask,
        () -> {
          Var output = scenario.run(Var.constant(inputs), null, mask).output();
          batchedOutput.set(output.value());
          return output.mul(Var.constant(lossWeights)).sum();
        },
        (b, real) -> {
          Var output = scenario.run(Var.constant(pick(inputs, b, real))).output();
          assertClose(output.value(), row(batchedOutput.get(), b), "output of sequence " + b);
          return output.mul(Var.constant(row(lossWeights, b))).sum();
        });
  }

  @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
  void bidirectionalReadsEachSequenceBackwardsFromItsLastRealStep(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int hidden) {
    Random random = new Random(seed);
    Weights weights = new Weights(random, features, hidden, 1);
    Tensor mask = randomMask(random, batch, steps, true);
    Tensor inputs = normal(random, 1, batch, steps, features);
    Tensor lossWeights = normal(random, 1, batch, steps, 2 * hidden);
    Tensor stateWeights = normal(random, 1, batch, 2 * hidden);
    Bidirectional<HiddenState> scenario = new Bidirectional<>(weights.cell, weights.other);
    AtomicReference<Unrolled<Bidirectional.States<HiddenState>>> batched = new AtomicReference<>();

    compareWithEachSequenceAlone(
        weights,
        mask,
        () -> {
          batched.set(scenario.run(Var.constant(inputs), null, mask));
          assertPaddedStepsAreZero(batched.get().stacked().value(), mask);
          return loss(batched.get(), Var.constant(lossWeights), Var.constant(stateWeights));
        },
        (b, real) -> {
          Unrolled<Bidirectional.States<HiddenState>> alone =
              scenario.run(Var.constant(pick(inputs, b, real)));
          for (int k = 0; k < real.length; k++) {
            assertClose(
                alone.outputs().get(k).value(),
                row(batched.get().outputs().get(real[k]).value(), b),
                "output of sequence " + b + " at step " + real[k]);
          }
          assertClose(
              alone.finalState().reverse().h().value(),
              row(batched.get().finalState().reverse().h().value(), b),
              "reverse state after the first real step of " + b);
          return loss(
              alone, Var.constant(pick(lossWeights, b, real)), Var.constant(row(stateWeights, b)));
        });
  }

  @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
  void encoderDecoderStartsEachDecoderFromItsOwnSourcesLastRealStep(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll @IntRange(min = 1, max = 8) int sourceSteps,
      @ForAll @IntRange(min = 1, max = 8) int targetSteps,
      @ForAll @IntRange(min = 1, max = 3) int hidden) {
    Random random = new Random(seed);
    int features = 2;
    Weights weights = new Weights(random, features, hidden, features);
    Tensor mask = randomMask(random, batch, sourceSteps, true);
    Tensor source = normal(random, 1, batch, sourceSteps, features);
    Tensor start = normal(random, 1, batch, features);
    Tensor lossWeights = normal(random, 1, batch, targetSteps, features);
    EncoderDecoder<HiddenState, HiddenState> scenario =
        EncoderDecoder.of(weights.cell, weights.other, weights.readout);

    compareWithEachSequenceAlone(
        weights,
        mask,
        () ->
            scenario
                .generate(Var.constant(source), mask, Var.constant(start), targetSteps)
                .stacked()
                .mul(Var.constant(lossWeights))
                .sum(),
        (b, real) ->
            scenario
                .generate(
                    Var.constant(pick(source, b, real)),
                    null,
                    Var.constant(row(start, b)),
                    targetSteps)
                .stacked()
                .mul(Var.constant(row(lossWeights, b)))
                .sum());
  }

  private interface Alone {
    Var loss(int row, int[] realSteps);
  }

  /**
   * The batched loss's gradients (and value) equal the sums over rows of each row's loss alone,
   * computed from its real steps only.
   */
  private static void compareWithEachSequenceAlone(
      Weights weights, Tensor mask, java.util.function.Supplier<Var> batched, Alone alone) {
    List<Tensor> expected = new ArrayList<>(weights.zeros());
    double expectedLoss = 0;
    List<Tensor> actual;
    double actualLoss;
    try (Tape tape = Tape.record()) {
      Var loss = batched.get();
      actual = gradients(tape.gradient(loss, weights.all), weights.all);
      actualLoss = loss.value().item();
    }
    for (int b = 0; b < mask.shape().dim(0); b++) {
      try (Tape tape = Tape.record()) {
        Var loss = alone.loss(b, realSteps(mask, b));
        List<Tensor> g = gradients(tape.gradient(loss, weights.all), weights.all);
        for (int i = 0; i < g.size(); i++) {
          expected.set(i, Pointwise.add(expected.get(i), g.get(i)));
        }
        expectedLoss += loss.value().item();
      }
    }
    assertEquals(expectedLoss, actualLoss, 1e-12 * Math.max(1, Math.abs(expectedLoss)));
    for (int i = 0; i < expected.size(); i++) {
      assertClose(expected.get(i), actual.get(i), "gradient of " + weights.all.get(i).name());
    }
  }

  private static Var loss(
      Unrolled<Bidirectional.States<HiddenState>> run, Var outputWeights, Var stateWeights) {
    Var states = Var.concat(-1, run.finalState().forward().h(), run.finalState().reverse().h());
    return run.stacked().mul(outputWeights).sum().add(states.mul(stateWeights).sum());
  }

  private static List<Tensor> gradients(Gradients gradients, List<Parameter> of) {
    return of.stream().map(gradients::tensor).toList();
  }

  private static void assertPaddedStepsAreZero(Tensor outputs, Tensor mask) {
    Tensor keep = mask.reshape(Shape.of(mask.shape().dim(0), mask.shape().dim(1), 1));
    Tensor padded = Layout.where(keep, Tensor.scalar(0), outputs);
    assertEquals(Tensor.zeros(outputs.shape()), Pointwise.abs(padded), "padded steps");
  }
}

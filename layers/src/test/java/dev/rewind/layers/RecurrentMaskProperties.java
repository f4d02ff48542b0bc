package dev.rewind.layers;

import static dev.rewind.layers.SequenceFixtures.assertClose;
import static dev.rewind.layers.SequenceFixtures.awayFromZero;
import static dev.rewind.layers.SequenceFixtures.lengthMask;
import static dev.rewind.layers.SequenceFixtures.normal;
import static dev.rewind.layers.SequenceFixtures.orthogonal;
import static dev.rewind.layers.SequenceFixtures.pick;
import static dev.rewind.layers.SequenceFixtures.randomMask;
import static dev.rewind.layers.SequenceFixtures.realSteps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A masked (padded) step leaves the state unchanged and contributes nothing to the outputs or the
 * loss: a batch of variable-length sequences gets exactly the gradients of running each sequence
 * alone. A mask with holes (0 between 1s) acts as if those steps were removed.
 */
class RecurrentMaskProperties {
  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void aPaddedBatchHasTheGradientsOfEachSequenceAlone(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 4) int hidden,
      @ForAll boolean holes) {
    Random random = new Random(seed);
    Parameter u = new Parameter("U", normal(random, 0.7, features, hidden));
    Parameter w = new Parameter("W", normal(random, 0.7, hidden, hidden));
    Parameter b = new Parameter("b", normal(random, 0.5, hidden));
    RecurrentCell<HiddenState> cell =
        RecurrentCell.of(features, hidden, (x, h) -> x.matmul(u).add(h.matmul(w)).add(b).tanh());
    Tensor mask =
        holes ? randomMask(random, batch, steps, false) : lengthMask(random, batch, steps);
    // Padding holds large garbage, which must not reach anything.
    Tensor inputs =
        Layout.where(
            mask.reshape(Shape.of(batch, steps, 1)),
            normal(random, 1, batch, steps, features),
            normal(random, 100, batch, steps, features));
    Tensor targets = normal(random, 1, batch, steps, hidden);
    Tensor initial = normal(random, 0.5, batch, hidden);
    List<Parameter> parameters = List.of(u, w, b);

    List<Tensor> batched;
    Tensor batchedFinal;
    Tensor batchedOutputs;
    try (Tape tape = Tape.record()) {
      Var x = Var.constant(inputs);
      Recurrent.Unrolled<HiddenState> run =
          new Recurrent<>(cell).run(x, new HiddenState(Var.constant(initial)), mask);
      Var loss = Losses.meanSquaredError(run.stacked(), Var.constant(targets), Reduction.SUM, mask);
      batched = gradients(tape.gradient(loss, with(parameters, x)), with(parameters, x));
      batchedFinal = run.finalState().h().value();
      batchedOutputs = run.stacked().value();
    }

    List<Tensor> alone = new ArrayList<>();
    for (Parameter p : parameters) {
      alone.add(Tensor.zeros(p.shape()));
    }
    double[] inputGradient = new double[inputs.size()];
    for (int row = 0; row < batch; row++) {
      int[] real = realSteps(mask, row);
      Tensor h0 = Layout.slice(initial, 0, row, row + 1);
      if (real.length == 0) {
        assertClose(h0, Layout.slice(batchedFinal, 0, row, row + 1), "final state of " + row);
        continue;
      }
      try (Tape tape = Tape.record()) {
        Var x = Var.constant(pick(inputs, row, real));
        Recurrent.Unrolled<HiddenState> run =
            new Recurrent<>(cell).run(x, new HiddenState(Var.constant(h0)), null);
        Var loss =
            Losses.meanSquaredError(
                run.stacked(), Var.constant(pick(targets, row, real)), Reduction.SUM, null);
        List<Tensor> g = gradients(tape.gradient(loss, with(parameters, x)), with(parameters, x));
        for (int i = 0; i < parameters.size(); i++) {
          alone.set(i, Pointwise.add(alone.get(i), g.get(i)));
        }
        Tensor inputsAlone = g.get(parameters.size());
        for (int k = 0; k < real.length; k++) {
          for (int f = 0; f < features; f++) {
            inputGradient[(row * steps + real[k]) * features + f] = inputsAlone.get(0, k, f);
          }
          assertClose(
              Layout.slice(run.outputs().get(k).value(), 0, 0, 1),
              Layout.slice(Layout.slice(batchedOutputs, 1, real[k], real[k] + 1), 0, row, row + 1)
                  .reshape(Shape.of(1, hidden)),
              "output of sequence " + row + " at step " + real[k]);
        }
        assertClose(
            run.finalState().h().value(),
            Layout.slice(batchedFinal, 0, row, row + 1),
            "final state of " + row);
      }
    }
    for (int i = 0; i < parameters.size(); i++) {
      assertClose(alone.get(i), batched.get(i), "gradient of " + parameters.get(i).name());
    }
    assertClose(Tensor.of(inputs.shape(), inputGradient), batched.get(parameters.size()), "inputs");
    assertPaddedOutputsAreZero(batchedOutputs, mask);
  }

  /** The gradient of a random weighting of every output and the final state, element by element. */
  @Property(tries = 100, seed = "20261122", edgeCases = EdgeCasesMode.NONE)
  void maskedUnrollPassesTheFirstOrderGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int hidden) {
    Random random = new Random(seed);
    Tensor mask = randomMask(random, batch, steps, false);
    Tensor outputWeights = awayFromZero(random, 1, batch, steps, hidden);
    Tensor stateWeights = awayFromZero(random, 1, batch, hidden);
    GradCheckResult result =
        GradCheck.of(
                in -> {
                  Var u = in.get(1);
                  Var w = in.get(2);
                  Var b = in.get(3);
                  RecurrentCell<HiddenState> cell =
                      RecurrentCell.of(
                          features, hidden, (x, h) -> x.matmul(u).add(h.matmul(w)).add(b).tanh());
                  Recurrent.Unrolled<HiddenState> run =
                      new Recurrent<>(cell).run(in.get(0), new HiddenState(in.get(4)), mask);
                  return run.stacked()
                      .mul(Var.constant(outputWeights))
                      .sum()
                      .add(run.finalState().h().mul(Var.constant(stateWeights)).sum());
                })
            .check(
                awayFromZero(random, 1, batch, steps, features),
                awayFromZero(random, 0.5, features, hidden),
                orthogonal(random, hidden),
                awayFromZero(random, 0.2, hidden),
                awayFromZero(random, 0.5, batch, hidden));
    assertTrue(result.passed(), result::toString);
  }

  private static List<Var> with(List<Parameter> parameters, Var x) {
    List<Var> all = new ArrayList<>(parameters);
    all.add(x);
    return all;
  }

  private static List<Tensor> gradients(Gradients gradients, List<Var> of) {
    return of.stream().map(gradients::tensor).toList();
  }

  private static void assertPaddedOutputsAreZero(Tensor outputs, Tensor mask) {
    for (int b = 0; b < mask.shape().dim(0); b++) {
      for (int t = 0; t < mask.shape().dim(1); t++) {
        if (mask.get(b, t) == 0) {
          for (int h = 0; h < outputs.shape().dim(2); h++) {
            assertEquals(0.0, outputs.get(b, t, h), "padded output at " + b + ", " + t);
          }
        }
      }
    }
  }
}

package dev.rewind.layers.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.elman.ElmanCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Note 000's hand-derived BPTT ({@link ElmanBptt}: equations (A)–(E) and the gradients for U, V, W,
 * b, c) equals the tape's gradients to a relative 1e-10 on random networks and sequences, for
 * softmax outputs with cross-entropy and for linear outputs with squared error; so do its ∇h(t) J
 * and the loss itself.
 */
class ElmanBpttProperties {
  private static final double AGREEMENT = 1e-10;

  @Property(tries = 60, seed = "2001", edgeCases = EdgeCasesMode.NONE)
  void handDerivedBpttEqualsTheTapeForSoftmaxOutputs(
      @ForAll @IntRange(min = 1, max = 4) int inputSize,
      @ForAll @IntRange(min = 1, max = 4) int hiddenSize,
      @ForAll @IntRange(min = 2, max = 4) int classes,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    ElmanCell cell =
        ElmanCell.random(
            inputSize, hiddenSize, classes, Activation.TANH, Activation.SOFTMAX, random);
    Tensor inputs = Tensor.randomNormal(Shape.of(batch, steps, inputSize), 0, 1, random);
    int[][] targets = new int[batch][steps];
    for (int[] sequence : targets) {
      for (int t = 0; t < steps; t++) {
        sequence[t] = random.nextInt(classes);
      }
    }

    ElmanBptt.Result byHand = ElmanBptt.of(cell).softmaxCrossEntropy(inputs, targets);

    assertEqualsTheTape(cell, byHand, inputs, (y, t) -> crossEntropy(y, targets, t));
  }

  @Property(tries = 60, seed = "2002", edgeCases = EdgeCasesMode.NONE)
  void handDerivedBpttEqualsTheTapeForLinearOutputs(
      @ForAll @IntRange(min = 1, max = 4) int inputSize,
      @ForAll @IntRange(min = 1, max = 4) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 4) int outputSize,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    ElmanCell cell =
        ElmanCell.random(
            inputSize, hiddenSize, outputSize, Activation.TANH, Activation.IDENTITY, random);
    Tensor inputs = Tensor.randomNormal(Shape.of(batch, steps, inputSize), 0, 1, random);
    Tensor targets = Tensor.randomNormal(Shape.of(batch, steps, outputSize), 0, 1, random);

    ElmanBptt.Result byHand = ElmanBptt.of(cell).squaredError(inputs, targets);

    assertEqualsTheTape(
        cell,
        byHand,
        inputs,
        (y, t) -> {
          Var desired = Var.constant(targets).select(1, t);
          return y.sub(desired).square().sum().mul(0.5);
        });
  }

  /** J(t) from the output y(t) of step t (counted from 0). */
  private interface StepLoss {
    Var at(Var output, int t);
  }

  private static void assertEqualsTheTape(
      ElmanCell cell, ElmanBptt.Result byHand, Tensor inputs, StepLoss stepLoss) {
    GradCheckResult parameters =
        GradCheck.ofParameters(cell.namedParameters(), () -> loss(cell, inputs, stepLoss, null))
            .tolerance(AGREEMENT)
            .checkHandDerived(byHand.parameterGradients());
    assertTrue(parameters.passed(), () -> cell + ": " + parameters);

    List<Var> hidden = new ArrayList<>();
    try (Tape record = Tape.record()) {
      Var loss = loss(cell, inputs, stepLoss, hidden);
      assertEquals(byHand.loss(), loss.value().item(), AGREEMENT * Math.abs(byHand.loss()));
      Gradients gradients = record.gradient(loss, hidden);
      for (int t = 0; t < hidden.size(); t++) {
        Tensor fromTape = gradients.tensor(hidden.get(t));
        Tensor fromEquations = byHand.hiddenGradients().get(t);
        for (int j = 0; j < fromTape.size(); j++) {
          double error =
              GradCheckResult.relativeError(fromTape.getFlat(j), fromEquations.getFlat(j));
          assertTrue(error <= AGREEMENT, "∇h(" + (t + 1) + ") J element " + j + ": " + error);
        }
      }
    }
  }

  /** J = Σ_t J(t) over an unrolled run of the cell; each h(t) is added to {@code hidden}. */
  private static Var loss(
      RecurrentCell<HiddenState> cell, Tensor inputs, StepLoss stepLoss, List<Var> hidden) {
    Var x = Var.constant(inputs);
    HiddenState state = cell.initialState(inputs.shape().dim(0));
    Var total = Var.scalar(0);
    for (int t = 0; t < inputs.shape().dim(1); t++) {
      RecurrentCell.Step<HiddenState> step = cell.step(x.select(1, t), state);
      state = step.state();
      if (hidden != null) {
        hidden.add(state.h());
      }
      total = total.add(stepLoss.at(step.output(), t));
    }
    return total;
  }

  /** {@code −Σ_p log y_p(t)[d_p(t)]}: the note's cross-entropy of softmax outputs. */
  private static Var crossEntropy(Var softmaxOutputs, int[][] targets, int t) {
    int[] classes = new int[targets.length];
    for (int p = 0; p < targets.length; p++) {
      classes[p] = targets[p][t];
    }
    Var oneHot = Var.oneHot(classes, softmaxOutputs.shape().dim(1));
    return softmaxOutputs.log().mul(oneHot).sum().neg();
  }
}

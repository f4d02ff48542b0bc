package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A cell's BPTT, checked over the cell's own parameters by name ({@link GradCheck#ofParameters}),
 * with no copy of its weights: the check assigns nudged values to the parameters and puts the
 * originals back.
 */
class ParameterGradCheckTest {
  private static final int BATCH = 2;
  private static final int INPUT = 3;
  private static final int HIDDEN = 3;
  private static final int STEPS = 3;

  private static List<Tensor> sequence(Random random) {
    return List.of(
        Tensor.randomNormal(Shape.of(BATCH, INPUT), 0, 1, random),
        Tensor.randomNormal(Shape.of(BATCH, INPUT), 0, 1, random),
        Tensor.randomNormal(Shape.of(BATCH, INPUT), 0, 1, random));
  }

  /** Σ over the steps of a fixed weighting of the cell's outputs. */
  private static <S extends RecurrentState<S>> Supplier<Var> loss(
      RecurrentCell<S> cell, List<Tensor> inputs, Tensor weighting) {
    return () -> {
      S state = cell.initialState(BATCH);
      Var total = Var.scalar(0);
      for (int t = 0; t < STEPS; t++) {
        RecurrentCell.Step<S> step = cell.step(Var.constant(inputs.get(t)), state);
        state = step.state();
        total = total.add(step.output().mul(Var.constant(weighting)).sum());
      }
      return total;
    };
  }

  private static Tensor weighting(Random random) {
    return Tensor.randomNormal(Shape.of(BATCH, HIDDEN), 0, 1, random);
  }

  @Test
  void lstmBpttMatchesFiniteDifferencesOverItsNamedParameters() {
    Random random = new Random(7);
    LstmCell cell = LstmCell.random(INPUT, HIDDEN, random);
    ImmutableMap<String, Parameter> parameters = cell.namedParameters();
    List<Tensor> before = parameters.values().stream().map(Var::value).toList();

    GradCheckResult result =
        GradCheck.ofParameters(parameters, loss(cell, sequence(random), weighting(random))).check();

    assertTrue(result.passed(), result::toString);
    assertEquals(
        parameters.values().stream().mapToInt(p -> p.value().size()).sum(), result.comparisons());
    for (int i = 0; i < before.size(); i++) {
      assertSame(before.get(i), parameters.values().asList().get(i).value());
    }
  }

  @Test
  void lstmCurvatureAlongARandomDirectionMatchesFiniteDifferences() {
    Random random = new Random(10);
    LstmCell cell = LstmCell.random(INPUT, HIDDEN, random);
    ImmutableMap<String, Parameter> parameters = cell.namedParameters();
    Supplier<Var> loss = loss(cell, sequence(random), weighting(random));

    GradCheckResult result =
        GradCheck.ofParameters(parameters, loss).checkSecondOrderRandomDirection(3);

    assertTrue(result.passed(), result::toString);
    assertEquals(1, result.comparisons());
  }

  @Test
  void gruBpttMatchesFiniteDifferencesOverItsNamedParameters() {
    Random random = new Random(8);
    GruCell cell = GruCell.random(INPUT, HIDDEN, random);

    GradCheckResult result =
        GradCheck.ofParameters(
                cell.namedParameters(), loss(cell, sequence(random), weighting(random)))
            .check();

    assertTrue(result.passed(), result::toString);
  }

  @Test
  void aLossThatDetachesOneParameterFailsUnderItsName() {
    Random random = new Random(9);
    LstmCell cell = LstmCell.random(INPUT, HIDDEN, random);
    ImmutableMap<String, Parameter> parameters = cell.namedParameters();
    Parameter weightHh = parameters.get("weightHh");
    Supplier<Var> right = loss(cell, sequence(random), weighting(random));
    Supplier<Var> detached = () -> right.get().add(weightHh.detach().square().sum());

    GradCheckResult result = GradCheck.ofParameters(parameters, detached).check();

    assertFalse(result.passed(), result::toString);
    assertEquals("weightHh", result.inputName());
    assertTrue(result.toString().contains("at input 'weightHh'"), result::toString);
  }
}

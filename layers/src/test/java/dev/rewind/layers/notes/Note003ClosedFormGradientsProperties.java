package dev.rewind.layers.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.reference.ScalarLinearRnn;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Note 003_7bf26e67bbf9cc0b.txt, section 2: the linear RNN {@code f_t = f_{t−1} v_f + x_t v_x} on
 * the 8-bit sum, {@code E = ½ Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²} with {@code ŷ = f_8}. The closed forms (22) for
 * ∂E/∂v_x and (26) for ∂E/∂v_f equal the tape's gradients, whether the net is written as a lambda
 * cell or as an Elman cell with one unit, φ = identity and b = 0.
 */
class Note003ClosedFormGradientsProperties {
  private static final int BITS = 8;
  private static final double AGREEMENT = 1e-10;

  @Property(tries = 60, seed = "3003", edgeCases = EdgeCasesMode.NONE)
  void closedFormsEqualTheTapeForTheNotesNet(
      @ForAll @DoubleRange(min = -1.5, max = 1.5) double vf,
      @ForAll @DoubleRange(min = -1.5, max = 1.5) double vx,
      @ForAll @IntRange(min = 1, max = 16) int sequences,
      @ForAll long seed) {
    Tensor bits = randomBits(sequences, new Random(seed));
    Tensor sums = sums(bits);
    ScalarLinearRnn byHand = new ScalarLinearRnn(vf, vx);

    // f_t = f_{t−1} v_f + x_t v_x, as the note writes it, with v_f and v_x the checked values.
    GradCheck tape =
        GradCheck.of(
            w ->
                error(
                    RecurrentCell.of(1, 1, (x, f) -> f.mul(w.get(0)).add(x.mul(w.get(1)))),
                    bits,
                    sums));
    GradCheckResult result =
        tape.tolerance(AGREEMENT)
            .checkHandDerived(
                List.of(
                    Tensor.scalar(byHand.gradientVf(bits, sums)),
                    Tensor.scalar(byHand.gradientVx(bits, sums))),
                Tensor.scalar(vf),
                Tensor.scalar(vx));

    assertTrue(result.passed(), result::toString);
  }

  @Property(tries = 60, seed = "3004", edgeCases = EdgeCasesMode.NONE)
  void closedFormsEqualTheTapeForAnElmanCellWithOneLinearUnit(
      @ForAll @DoubleRange(min = -1.5, max = 1.5) double vf,
      @ForAll @DoubleRange(min = -1.5, max = 1.5) double vx,
      @ForAll @IntRange(min = 1, max = 16) int sequences,
      @ForAll long seed) {
    Tensor bits = randomBits(sequences, new Random(seed));
    Tensor sums = sums(bits);
    ScalarLinearRnn byHand = new ScalarLinearRnn(vf, vx);
    ElmanCell cell =
        new ElmanCell(
            Tensor.matrix(new double[][] {{vx}}),
            Tensor.matrix(new double[][] {{vf}}),
            Tensor.zeros(1),
            Activation.IDENTITY);

    // U = [[v_x]], W = [[v_f]]; b stays 0 and is not checked.
    GradCheckResult result =
        GradCheck.ofParameters(
                ImmutableMap.of("U", cell.u(), "W", cell.w()), () -> error(cell, bits, sums))
            .tolerance(AGREEMENT)
            .checkHandDerived(
                ImmutableMap.of(
                    "U", Tensor.of(Shape.of(1, 1), byHand.gradientVx(bits, sums)),
                    "W", Tensor.of(Shape.of(1, 1), byHand.gradientVf(bits, sums))));

    assertTrue(result.passed(), result::toString);
  }

  @Property(tries = 30, seed = "3005", edgeCases = EdgeCasesMode.NONE)
  void theNetWithUnitWeightsSumsTheBitsExactly(
      @ForAll @IntRange(min = 1, max = 16) int sequences, @ForAll long seed) {
    Tensor bits = randomBits(sequences, new Random(seed));
    ScalarLinearRnn net = new ScalarLinearRnn(1, 1);

    assertEquals(sums(bits), net.predictions(bits));
    assertEquals(0, net.error(bits, sums(bits)));
    assertEquals(0, net.gradientVx(bits, sums(bits)));
    assertEquals(0, net.gradientVf(bits, sums(bits)));
  }

  /** E as the tape computes it, for a cell of one input and one unit whose final state is ŷ. */
  private static Var error(RecurrentCell<HiddenState> cell, Tensor bits, Tensor sums) {
    int sequences = bits.shape().dim(0);
    Var inputs = Var.constant(bits.reshape(Shape.of(sequences, BITS, 1)));
    Var predictions = new Recurrent<>(cell).run(inputs).finalState().h().reshape(sequences);
    return predictions.sub(Var.constant(sums)).square().sum().mul(0.5);
  }

  private static Tensor randomBits(int sequences, Random random) {
    double[] bits = new double[sequences * BITS];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = random.nextBoolean() ? 1 : 0;
    }
    return Tensor.of(Shape.of(sequences, BITS), bits);
  }

  /** The targets of the 8-bit sum: y⁽ⁱ⁾ = Σ_t x_t⁽ⁱ⁾. */
  private static Tensor sums(Tensor bits) {
    int sequences = bits.shape().dim(0);
    double[] sums = new double[sequences];
    for (int i = 0; i < sequences; i++) {
      for (int t = 0; t < BITS; t++) {
        sums[i] += bits.get(i, t);
      }
    }
    return Tensor.vector(sums);
  }
}

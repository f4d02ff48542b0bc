package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The cells whose gate block is one fused op ({@code lstmGates}, {@code gruGates}) compute what
 * their equations, composed of element-wise ops, compute: the same values to the bit, and the same
 * gradients and Hessian-vector products, with respect to the input, the state and every weight, to
 * 1e-12.
 */
class FusedGatesProperties {
  private static final double TOLERANCE = 1e-12;

  @Property(tries = 50)
  void lstmStepEqualsItsComposedEquations(
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 4) int inputSize,
      @ForAll @IntRange(min = 1, max = 5) int hiddenSize,
      @ForAll long seed) {
    Random random = new Random(seed);
    LstmCell cell = LstmCell.random(inputSize, hiddenSize, random);
    List<Var> leaves = new ArrayList<>();
    leaves.add(Var.constant(Tensor.randomNormal(Shape.of(batch, inputSize), 0, 1, random)));
    leaves.add(Var.constant(Tensor.randomNormal(Shape.of(batch, hiddenSize), 0, 0.5, random)));
    leaves.add(Var.constant(Tensor.randomNormal(Shape.of(batch, hiddenSize), 0, 1, random)));
    leaves.addAll(cell.parameters());

    // The cell reads its own parameters, the leaves after x, h and c.
    Function<List<Var>, List<Var>> fused =
        in -> {
          LstmState next = cell.step(in.get(0), new LstmState(in.get(1), in.get(2))).state();
          return List.of(next.h(), next.c());
        };

    assertSameFunction(fused, FusedGatesProperties::lstmComposed, leaves, random);
  }

  @Property(tries = 50)
  void gruStepEqualsItsComposedEquations(
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 4) int inputSize,
      @ForAll @IntRange(min = 1, max = 5) int hiddenSize,
      @ForAll long seed) {
    Random random = new Random(seed);
    GruCell cell = GruCell.random(inputSize, hiddenSize, random);
    List<Var> leaves = new ArrayList<>();
    leaves.add(Var.constant(Tensor.randomNormal(Shape.of(batch, inputSize), 0, 1, random)));
    leaves.add(Var.constant(Tensor.randomNormal(Shape.of(batch, hiddenSize), 0, 0.5, random)));
    leaves.addAll(cell.parameters());

    // The cell reads its own parameters, the leaves after x and h.
    Function<List<Var>, List<Var>> fused =
        in -> List.of(cell.step(in.get(0), new HiddenState(in.get(1))).output());

    assertSameFunction(fused, FusedGatesProperties::gruComposed, leaves, random);
  }

  /**
   * PyTorch's LSTM step from {@code x, h, c, weightIh, weightHh, biasIh, biasHh}: h' and c'. The
   * pre-activations are summed in the cell's order, {@code h weightHh + (x weightIh + (biasIh +
   * biasHh))}.
   */
  private static List<Var> lstmComposed(List<Var> in) {
    Var h = in.get(1);
    Var c = in.get(2);
    Var fromInput = in.get(0).matmul(in.get(3)).add(in.get(5).add(in.get(6)));
    Var a = h.matmul(in.get(4)).add(fromInput);
    int size = c.shape().dim(1);
    List<Var> gates = a.split(1, size, size, size, size);
    Var i = gates.get(0).sigmoid();
    Var f = gates.get(1).sigmoid();
    Var g = gates.get(2).tanh();
    Var o = gates.get(3).sigmoid();
    Var next = f.mul(c).add(i.mul(g));
    return List.of(o.mul(next.tanh()), next);
  }

  /** PyTorch's GRU step from {@code x, h, weightIh, weightHh, biasIh, biasHh}: h'. */
  private static List<Var> gruComposed(List<Var> in) {
    Var h = in.get(1);
    int size = h.shape().dim(1);
    List<Var> fromInput = in.get(0).matmul(in.get(2)).add(in.get(4)).split(1, size, size, size);
    List<Var> fromState = h.matmul(in.get(3)).add(in.get(5)).split(1, size, size, size);
    Var r = fromInput.get(0).add(fromState.get(0)).sigmoid();
    Var z = fromInput.get(1).add(fromState.get(1)).sigmoid();
    Var n = fromInput.get(2).add(r.mul(fromState.get(2))).tanh();
    return List.of(n.add(z.mul(h.sub(n))));
  }

  /**
   * {@code fused} and {@code composed} agree on {@code leaves}: in value exactly; in the gradient
   * of a random weighted sum of their outputs, and in that gradient's own gradient in a random
   * direction (a Hessian-vector product, through the gate ops' second-order rules), to 1e-12.
   */
  private static void assertSameFunction(
      Function<List<Var>, List<Var>> fused,
      Function<List<Var>, List<Var>> composed,
      List<Var> leaves,
      Random random) {
    List<Tensor> direction = new ArrayList<>();
    for (Var leaf : leaves) {
      direction.add(Tensor.randomNormal(leaf.shape(), 0, 1, random));
    }
    long lossSeed = random.nextLong();
    Derivatives expected = derivatives(composed, leaves, direction, lossSeed);
    Derivatives actual = derivatives(fused, leaves, direction, lossSeed);

    assertEquals(expected.values(), actual.values());
    for (int k = 0; k < leaves.size(); k++) {
      assertClose(expected.gradient().get(k), actual.gradient().get(k), "gradient of leaf " + k);
      assertClose(
          expected.hessianTimesDirection().get(k),
          actual.hessianTimesDirection().get(k),
          "Hessian-vector product of leaf " + k);
    }
  }

  private record Derivatives(
      List<Tensor> values, List<Tensor> gradient, List<Tensor> hessianTimesDirection) {}

  /** The outputs, the gradient of {@code Σ_k Σ output_k ⊙ W_k}, and its Hessian times {@code v}. */
  private static Derivatives derivatives(
      Function<List<Var>, List<Var>> step, List<Var> leaves, List<Tensor> v, long lossSeed) {
    try (Tape outer = Tape.record()) {
      List<Var> outputs;
      Gradients first;
      try (Tape inner = Tape.record()) {
        outputs = step.apply(leaves);
        Random random = new Random(lossSeed);
        Var loss = Var.scalar(0);
        for (Var output : outputs) {
          Tensor weights = Tensor.randomNormal(output.shape(), 0, 1, random);
          loss = loss.add(output.mul(Var.constant(weights)).sum());
        }
        first = inner.gradient(loss, leaves);
      }
      Var alongV = Var.scalar(0);
      for (int k = 0; k < leaves.size(); k++) {
        alongV = alongV.add(first.of(leaves.get(k)).mul(Var.constant(v.get(k))).sum());
      }
      Gradients second = outer.gradient(alongV, leaves);
      return new Derivatives(
          outputs.stream().map(Var::value).toList(),
          leaves.stream().map(first::tensor).toList(),
          leaves.stream().map(second::tensor).toList());
    }
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertTrue(
        actual.allClose(expected, TOLERANCE, TOLERANCE),
        () -> what + ": composed " + expected + ", fused " + actual);
  }
}

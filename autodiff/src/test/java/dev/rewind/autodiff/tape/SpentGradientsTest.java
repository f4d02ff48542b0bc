package dev.rewind.autodiff.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link SpentGradients}: a recycling tape's backward pass gives each gradient's array back once
 * the op it reached has spent it, and never one that is still read: a gradient passed on to an
 * input, one array given to two inputs, a gradient handed out. Graphs built at random from ops that
 * do each of these get a plain tape's bits, pass after pass on the same thread's arrays.
 */
class SpentGradientsTest {
  private static final Shape SHAPE = Shape.of(4, 32);

  /** How {@link SharedGradientSum} hands its gradient to its inputs. */
  private enum Sharing {
    /** Its own gradient to every input. */
    PASSED_ON,
    /** One new tensor to every input. */
    ONE_NEW,
    /** Its own gradient to the first input, a new tensor each to the others. */
    PASSED_ON_ONCE
  }

  /** The sum of its inputs, whose backward rule gives one array to several sums. */
  private static final class SharedGradientSum extends Op {
    private final Sharing sharing;

    SharedGradientSum(Sharing sharing) {
      this.sharing = sharing;
    }

    @Override
    protected void checkInputs(Shape... shapes) {}

    @Override
    protected Tensor forward(Tensor... in) {
      Tensor sum = in[0];
      for (int i = 1; i < in.length; i++) {
        sum = Pointwise.add(sum, in[i]);
      }
      return sum;
    }

    @Override
    protected Var[] backward(Var gradOutput) {
      Var[] gradients = new Var[inputCount()];
      Arrays.fill(gradients, sharing == Sharing.ONE_NEW ? gradOutput.mul(1.0) : gradOutput);
      if (sharing == Sharing.PASSED_ON_ONCE) {
        for (int i = 1; i < gradients.length; i++) {
          gradients[i] = gradOutput.mul(1.0);
        }
      }
      return gradients;
    }
  }

  @Test
  void aChainsBackwardPassReusesTheArraysItSpends() {
    Parameter x = new Parameter("x", Tensor.randomNormal(SHAPE, 0, 1, new Random(3)));
    try (Tape tape = Tape.recordRecycling()) {
      Var y = x;
      for (int i = 0; i < 100; i++) {
        y = y.tanh();
      }
      Var loss = y.sum();
      int beforeBackward = tape.arrays().borrowed();

      var unused = tape.gradient(loss, x);

      int duringBackward = tape.arrays().borrowed() - beforeBackward;
      assertTrue(duringBackward <= 3, duringBackward + " arrays for 100 ops' gradients");
    }
  }

  @Test
  void aGradientPassedOnByAnAddIsNotReusedWhileTheOtherInputStillReadsIt() {
    Parameter p = new Parameter("p", Tensor.randomNormal(SHAPE, 0, 1, new Random(5)));
    Supplier<Var> loss =
        () -> {
          Var a = p.tanh();
          Var b = p.sigmoid().mul(p);
          return a.add(b).mul(p.tanh()).sum();
        };

    assertArrayEquals(
        gradient(Tape::record, loss, p), gradient(Tape::recordRecycling, loss, p), "bits");
  }

  @Test
  void aGradientPassedOnToOneOfManyInputsIsNotReusedWhileThatInputReadsIt() {
    Parameter p = new Parameter("p", Tensor.randomNormal(SHAPE, 0, 1, new Random(7)));
    Supplier<Var> loss =
        () -> {
          Var[] inputs = new Var[12];
          inputs[0] = p.tanh();
          for (int i = 1; i < inputs.length; i++) {
            inputs[i] = p.mul(0.1 * i).sigmoid();
          }
          Var sum = new SharedGradientSum(Sharing.PASSED_ON_ONCE).apply(inputs);
          return sum.mul(sum).sum();
        };

    assertArrayEquals(
        gradient(Tape::record, loss, p), gradient(Tape::recordRecycling, loss, p), "bits");
  }

  /** The gradient of {@code loss} with respect to {@code p}, as an array, twice on one thread. */
  private static double[] gradient(Supplier<Tape> open, Supplier<Var> loss, Parameter p) {
    double[] last = null;
    for (int pass = 0; pass < 2; pass++) {
      try (Tape tape = open.get()) {
        last = tape.gradient(loss.get(), p).tensor(p).toArray();
      }
    }
    return last;
  }

  @Property(tries = 40)
  void aRandomGraphGetsAPlainTapesBitsAndItsHandedOutGradientsStay(@ForAll long seed) {
    RandomGraph graph = new RandomGraph(seed);
    List<double[]> plain = graph.gradients(Tape::record, new ArrayList<>());

    List<Tensor> handedOut = new ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      List<double[]> recycled = graph.gradients(Tape::recordRecycling, handedOut);
      for (int k = 0; k < plain.size(); k++) {
        assertArrayEquals(plain.get(k), recycled.get(k), "gradient " + k + ", pass " + pass);
      }
    }
    for (int k = 0; k < handedOut.size(); k++) {
      assertArrayEquals(plain.get(k % plain.size()), handedOut.get(k).toArray(), "handed out " + k);
    }
  }

  /**
   * Ops drawn at random over {@link #SHAPE} values, each reading earlier values (so values fan
   * out): element-wise functions, adds that pass their gradient on, sums of two or twelve values
   * that give every input one gradient, products, a reshape there and back, a slice and concat. Its
   * gradients are those of the three parameters and of two values in between.
   */
  private static final class RandomGraph {
    private final long seed;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Parameter square;

    RandomGraph(long seed) {
      this.seed = seed;
      Random random = new Random(seed);
      for (int i = 0; i < 3; i++) {
        parameters.add(new Parameter("p" + i, Tensor.randomNormal(SHAPE, 0, 0.5, random)));
      }
      square = new Parameter("w", Tensor.randomNormal(Shape.of(32, 32), 0, 0.2, random));
    }

    private static Sharing sharing(Random random) {
      return Sharing.values()[random.nextInt(Sharing.values().length)];
    }

    /** Twelve of {@code values}, some of them more than once: more than a few, as a stack's. */
    private static Var[] pick(List<Var> values, Random random) {
      Var[] picked = new Var[12];
      for (int i = 0; i < picked.length; i++) {
        picked[i] = values.get(random.nextInt(values.size()));
      }
      return picked;
    }

    /**
     * Records the graph on {@code open}'s tape and returns the wanted gradients' elements, adding
     * the gradient tensors to {@code handedOut}.
     */
    List<double[]> gradients(Supplier<Tape> open, List<Tensor> handedOut) {
      Random random = new Random(seed);
      try (Tape tape = open.get()) {
        List<Var> values = new ArrayList<>(parameters);
        for (int i = 0; i < 24; i++) {
          Var a = values.get(random.nextInt(values.size()));
          Var b = values.get(random.nextInt(values.size()));
          values.add(
              switch (random.nextInt(9)) {
                case 0 -> a.tanh();
                case 1 -> a.sigmoid();
                case 2 -> a.add(b);
                case 3 -> new SharedGradientSum(sharing(random)).apply(a, b);
                case 4 -> new SharedGradientSum(sharing(random)).apply(pick(values, random));
                case 5 -> a.mul(b).mul(0.5);
                case 6 -> a.matmul(square).tanh();
                case 7 -> a.reshape(8, 16).reshape(4, 32);
                default -> Var.concat(1, a.slice(1, 0, 12), a.slice(1, 12, 32));
              });
        }
        Var loss = null;
        for (Var value : values.subList(values.size() - 4, values.size())) {
          Var term = value.mul(value).sum();
          loss = loss == null ? term : loss.add(term);
        }
        List<Var> wanted = new ArrayList<>(parameters);
        wanted.add(square);
        wanted.add(values.get(3 + random.nextInt(10)));
        wanted.add(values.get(13 + random.nextInt(10)));
        Gradients gradients = tape.gradient(loss, wanted);
        List<double[]> elements = new ArrayList<>();
        for (Var x : wanted) {
          Tensor gradient = gradients.tensor(x);
          handedOut.add(gradient);
          elements.add(gradient.toArray());
        }
        assertEquals(wanted.size(), elements.size());
        return elements;
      }
    }
  }
}

package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** Losses the optimizer tests train on, built with the tape, and a loop that trains on them. */
final class Problems {
  static final int BITS = 8;

  private Problems() {}

  /** One step: the loss and its gradients from a tape, with the loss attached, then the update. */
  static double step(Optimizer optimizer, Supplier<Var> loss) {
    try (Tape tape = Tape.record()) {
      Var value = loss.get();
      double item = value.value().item();
      ParameterGradients gradients =
          ParameterGradients.from(tape.gradient(value, optimizer.parameters())).withLoss(item);
      optimizer.step(gradients);
      return item;
    }
  }

  /** Takes {@code steps} steps and returns the loss after the last. */
  static double train(Optimizer optimizer, Supplier<Var> loss, int steps) {
    for (int i = 0; i < steps; i++) {
      double unused = step(optimizer, loss);
    }
    return loss.get().value().item();
  }

  /** Rosenbrock's function of a 2-vector: (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1). */
  static Var rosenbrock(Parameter xy) {
    Var x = xy.slice(0, 0, 1);
    Var y = xy.slice(0, 1, 2);
    return Var.scalar(1.0).sub(x).square().add(y.sub(x.square()).square().mul(100.0)).sum();
  }

  /**
   * The loss of the PyTorch fixtures (tools/optim-fixtures.py): a 4-dimensional Rosenbrock function
   * of {@code x} plus half the squared residual of {@code A W + b = T}.
   */
  static Var fixtureLoss(Parameter x, Parameter w, Parameter b) {
    Var head = x.slice(0, 0, 3);
    Var tail = x.slice(0, 1, 4);
    Var rosenbrock =
        tail.sub(head.square()).square().mul(100.0).add(Var.scalar(1.0).sub(head).square()).sum();
    Var residual = Var.constant(FIXTURE_A).matmul(w).add(b).sub(Var.constant(FIXTURE_T));
    return rosenbrock.add(residual.square().sum().mul(0.5));
  }

  static final Tensor FIXTURE_X0 = Tensor.vector(-1.2, 1.0, -0.5, 0.8);
  static final Tensor FIXTURE_W0 =
      Tensor.matrix(new double[][] {{0.5, -0.3, 0.8}, {-0.7, 0.2, 0.4}});
  static final Tensor FIXTURE_B0 = Tensor.vector(0.1, -0.2, 0.05);
  private static final Tensor FIXTURE_A =
      Tensor.matrix(new double[][] {{1.0, 0.5}, {-0.3, 2.0}, {0.7, -1.1}, {1.5, 0.2}});
  private static final Tensor FIXTURE_T =
      Tensor.matrix(
          new double[][] {{0.3, -1.0, 0.5}, {1.2, 0.4, -0.6}, {-0.2, 0.9, 1.1}, {0.8, -0.5, 0.0}});

  /**
   * Note 003's 8-bit sum: {@code count} random sequences of 8 bits (from {@code seed}) as rows of a
   * {@code [count, 8]} tensor.
   */
  static Tensor randomBits(int count, long seed) {
    Random random = new Random(seed);
    double[] bits = new double[count * BITS];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = random.nextBoolean() ? 1.0 : 0.0;
    }
    return Tensor.of(Shape.of(count, BITS), bits);
  }

  /** The number of ones in each row: the 8-bit sum's targets. */
  static Tensor bitSums(Tensor bits) {
    int count = bits.shape().dim(0);
    double[] sums = new double[count];
    for (int i = 0; i < count; i++) {
      for (int t = 0; t < BITS; t++) {
        sums[i] += bits.get(i, t);
      }
    }
    return Tensor.vector(sums);
  }

  /** Column {@code t} of the bits: every sequence's input at time t. */
  static Tensor bitsAt(Tensor bits, int t) {
    int count = bits.shape().dim(0);
    double[] column = new double[count];
    for (int i = 0; i < count; i++) {
      column[i] = bits.get(i, t);
    }
    return Tensor.vector(column);
  }

  /**
   * Note 003's linear scalar RNN over every sequence at once, and its loss (eq. 17):
   *
   * <pre>
   * f_t = f_{t−1} v_f + x_t v_x,   f_0 = 0,   ŷ = f_8,   E = ½ Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²
   * </pre>
   */
  static Var eightBitSumLoss(Parameter vx, Parameter vf, Tensor bits) {
    Var f = Var.constant(Tensor.zeros(bits.shape().dim(0)));
    for (int t = 0; t < BITS; t++) {
      f = f.mul(vf).add(Var.constant(bitsAt(bits, t)).mul(vx));
    }
    return f.sub(Var.constant(bitSums(bits))).square().sum().mul(0.5);
  }

  /** The gradient of {@code 0.5 ‖w − target‖²}: {@code w − target}, in {@code w}'s dtype. */
  static Tensor quadraticGradient(Parameter w, Tensor target) {
    return Pointwise.sub(w.value(), target.to(w.dtype()));
  }

  /** {@code 0.5 ‖w − target‖²}. */
  static double quadraticLoss(Parameter w, Tensor target) {
    double norm = Reductions.norm(quadraticGradient(w, target));
    return 0.5 * norm * norm;
  }

  /** The gradients of {@code 0.5 Σ ‖w − target‖²} over parallel lists, with the loss attached. */
  static ParameterGradients quadraticGradients(List<Parameter> parameters, List<Tensor> targets) {
    ParameterGradients.Builder builder = ParameterGradients.builder();
    double loss = 0;
    for (int i = 0; i < parameters.size(); i++) {
      builder.put(parameters.get(i), quadraticGradient(parameters.get(i), targets.get(i)));
      loss += quadraticLoss(parameters.get(i), targets.get(i));
    }
    return builder.build().withLoss(loss);
  }
}

package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step updates the optimizer's state in place: beyond each parameter's new value (a new tensor,
 * since values are immutable) it allocates almost nothing, however large the parameters. The bytes
 * are counted with the JVM's per-thread allocation counter, which depends neither on timing nor on
 * the collector; a step that copied even one slot would allocate twice the parameters' size.
 */
class StepAllocationTest {
  private static final int WARM_UP_STEPS = 20;
  private static final int COUNTED_STEPS = 20;

  static Stream<Named<Function<List<Parameter>, Optimizer>>> optimizers() {
    return Stream.of(
        Named.of("SGD", p -> Sgd.builder(p).learningRate(0.01).build()),
        Named.of("SGD, momentum", p -> Sgd.builder(p).learningRate(0.01).momentum(0.9).build()),
        Named.of(
            "SGD, Nesterov and weight decay",
            p ->
                Sgd.builder(p)
                    .learningRate(0.01)
                    .momentum(0.9)
                    .nesterov()
                    .weightDecay(1e-3)
                    .build()),
        Named.of("Rprop+", p -> Rprop.builder(RpropVariant.RPROP_PLUS, p).build()),
        Named.of("Rprop-", p -> Rprop.builder(RpropVariant.RPROP_MINUS, p).build()),
        Named.of("iRprop+", p -> Rprop.builder(RpropVariant.IRPROP_PLUS, p).build()),
        Named.of("iRprop-", p -> Rprop.builder(RpropVariant.IRPROP_MINUS, p).build()),
        Named.of("Adam", p -> Adam.builder(p).weightDecay(1e-3).build()),
        Named.of("AdamW", p -> AdamW.builder(p).build()));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void aStepAllocatesLittleBeyondTheNewParameterValues(
      Function<List<Parameter>, Optimizer> factory) {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assumeTrue(
        threads instanceof com.sun.management.ThreadMXBean counter
            && counter.isThreadAllocatedMemorySupported()
            && counter.isThreadAllocatedMemoryEnabled(),
        "this JVM does not count the bytes a thread allocates");
    com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
    Random random = new Random(7);
    Parameter weight =
        new Parameter("weight", Tensor.randomNormal(Shape.of(256, 256), 0, 1, random));
    Parameter bias = new Parameter("bias", Tensor.randomNormal(Shape.of(256), 0, 1, random));
    List<Parameter> parameters = List.of(weight, bias);
    // Two gradients with independent signs, so that Rprop's signs both hold and flip.
    ParameterGradients[] gradients = new ParameterGradients[2];
    for (int k = 0; k < gradients.length; k++) {
      ParameterGradients.Builder builder = ParameterGradients.builder();
      for (Parameter parameter : parameters) {
        builder.put(parameter, Tensor.randomNormal(parameter.shape(), 0, 1, random));
      }
      gradients[k] = builder.build().withLoss(k);
    }
    Optimizer optimizer = factory.apply(parameters);
    for (int t = 0; t < WARM_UP_STEPS; t++) {
      optimizer.step(gradients[t % 2]);
    }
    long before = counter.getCurrentThreadAllocatedBytes();
    for (int t = 0; t < COUNTED_STEPS; t++) {
      optimizer.step(gradients[t % 2]);
    }
    long perStep = (counter.getCurrentThreadAllocatedBytes() - before) / COUNTED_STEPS;
    long values = Double.BYTES * (256L * 256 + 256);
    assertTrue(
        perStep < values + values / 4,
        optimizer
            + " allocated "
            + perStep
            + " bytes per step; the new parameter values take "
            + values
            + " and a copy of one slot as many again");
  }
}

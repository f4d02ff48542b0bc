package dev.rewind.bench;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Rprop;
import dev.rewind.optim.RpropVariant;
import dev.rewind.optim.Sgd;
import dev.rewind.optim.StepReport;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer step over a {@code [512, 512]} weight and a {@code [2048]} bias (264,192 elements,
 * about 2 MB): the arithmetic of the update rule plus whatever the optimizer allocates for its
 * state. Two fixed gradient sets with independent random signs alternate, so that Rprop sees its
 * signs hold and flip. Scores are per step; {@code -prof gc} adds the bytes allocated per step
 * ({@code gc.alloc.rate.norm}).
 *
 * <ul>
 *   <li>{@link #sgd}: SGD with momentum 0.9;
 *   <li>{@link #rprop}: Rprop in the variant {@code variant} (Rprop+ keeps the most state);
 *   <li>{@link #adam}: Adam with PyTorch's defaults.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OptimizerStepBenchmark {
  private Workload workload;
  private Optimizer sgd;
  private Optimizer adam;

  @Setup
  public void createOptimizers() {
    workload = new Workload();
    sgd = Sgd.builder(workload.parameters).learningRate(1e-3).momentum(0.9).build();
    adam = Adam.builder(workload.parameters).build();
  }

  /** Rprop in each variant; SGD and Adam run once. */
  @State(Scope.Thread)
  public static class RpropState {
    @Param({"RPROP_PLUS", "IRPROP_MINUS"})
    public RpropVariant variant;

    private Workload workload;
    private Optimizer rprop;

    @Setup
    public void createRprop() {
      workload = new Workload();
      rprop = Rprop.builder(variant, workload.parameters).build();
    }
  }

  /** The parameters and the two gradient sets, the same for every benchmark. */
  private static final class Workload {
    final List<Parameter> parameters;
    private final ParameterGradients[] gradients = new ParameterGradients[2];
    private long steps;

    Workload() {
      Random random = new Random(42);
      Parameter weight =
          new Parameter("weight", Tensor.randomNormal(Shape.of(512, 512), 0, 0.05, random));
      Parameter bias = new Parameter("bias", Tensor.randomNormal(Shape.of(2048), 0, 0.05, random));
      parameters = List.of(weight, bias);
      for (int i = 0; i < gradients.length; i++) {
        ParameterGradients.Builder builder = ParameterGradients.builder();
        for (Parameter parameter : parameters) {
          builder.put(parameter, Tensor.randomNormal(parameter.shape(), 0, 1, random));
        }
        gradients[i] = builder.build();
      }
    }

    ParameterGradients next() {
      return gradients[(int) (steps++ & 1)];
    }
  }

  @Benchmark
  public StepReport sgd() {
    return sgd.step(workload.next());
  }

  @Benchmark
  public StepReport rprop(RpropState state) {
    return state.rprop.step(state.workload.next());
  }

  @Benchmark
  public StepReport adam() {
    return adam.step(workload.next());
  }
}

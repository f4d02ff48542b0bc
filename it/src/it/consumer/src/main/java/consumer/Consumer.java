package consumer;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.io.LayerWeights;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.Adam;
import dev.rewind.train.Batch;
import dev.rewind.train.FitResult;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A user's program, built against the published artifacts: trains a small LSTM on sine waves,
 * saves and reloads its weights, checks the reloaded model computes the same bits, and generates a
 * continuation by feeding the model its own output. Exits non-zero on any failed check.
 */
public final class Consumer {
  private static final List<String> TEST_LIBRARIES =
      List.of("junit", "jqwik", "opentest4j", "apiguardian");

  public static void main(String[] args) throws Exception {
    checkNoTestLibraries();
    Path run = Path.of(args[0]);
    Files.createDirectories(run);

    Random random = new Random(7);
    LstmCell cell = LstmCell.random(1, 8, random);
    ManyToMany<LstmState> model = new ManyToMany<>(cell, new Linear(8, 1, random));
    FitResult result;
    try (CheckpointFolder checkpoints = CheckpointFolder.open(run.resolve("checkpoints"), 2)) {
      Trainer<LstmState> trainer =
          Trainer.builder(
                  model,
                  Adam.builder(model.namedParameters()).learningRate(0.02).build(),
                  4,
                  cell::initialState)
              .source(position -> sines(4, 20, new Random(position)))
              .step(
                  (batch, state, generator) -> {
                    Unrolled<LstmState> unrolled =
                        model.run(Var.constant(batch.inputs()), state, batch.mask());
                    Var loss =
                        Losses.meanSquaredError(
                            unrolled.stacked(), Var.constant(batch.targets()));
                    return StepResult.of(loss, unrolled.finalState());
                  })
              .checkpoints(checkpoints, 25)
              .random(random)
              .build();
      result = trainer.fit(50);
    }
    System.out.printf("consumer: trained: %s after step %d%n", result.reason(), result.step());

    Path weights = run.resolve("model.safetensors");
    LayerWeights.save(model, weights);
    LstmCell freshCell = LstmCell.random(1, 8, new Random(99));
    ManyToMany<LstmState> reloaded = new ManyToMany<>(freshCell, new Linear(8, 1, new Random(99)));
    LayerWeights.load(reloaded, weights);

    Tensor probe = sines(2, 12, new Random(1234)).inputs();
    double[] trained = model.run(Var.constant(probe)).stacked().value().toArray();
    double[] again = reloaded.run(Var.constant(probe)).stacked().value().toArray();
    check(trained.length == again.length, "output lengths differ");
    for (int i = 0; i < trained.length; i++) {
      check(
          Double.doubleToRawLongBits(trained[i]) == Double.doubleToRawLongBits(again[i]),
          "reloaded output " + i + " differs: " + trained[i] + " vs " + again[i]);
    }
    System.out.printf(
        "consumer: reloaded model's %d outputs equal the trained model's bit for bit%n",
        trained.length);

    // One-to-many: warm up on a sine prefix, then feed each output back in as the next input.
    double[] prefix = new double[8];
    for (int t = 0; t < prefix.length; t++) {
      prefix[t] = Math.sin(0.3 * t);
    }
    Unrolled<LstmState> warm =
        reloaded.run(Var.constant(Tensor.of(Shape.of(1, prefix.length, 1), prefix)));
    LstmState state = warm.finalState();
    double next = warm.outputs().get(prefix.length - 1).value().toArray()[0];
    StringBuilder generated = new StringBuilder();
    for (int t = 0; t < 10; t++) {
      generated.append(String.format(Locale.ROOT, " %.4f", next));
      check(Double.isFinite(next), "generated a non-finite value");
      Unrolled<LstmState> step =
          reloaded.run(Var.constant(Tensor.of(Shape.of(1, 1, 1), next)), state, null);
      state = step.finalState();
      next = step.outputs().get(0).value().toArray()[0];
    }
    System.out.println("consumer: generated:" + generated);
    System.out.println("consumer: OK");
  }

  /** The runtime class path a user's program gets holds no test library. */
  private static void checkNoTestLibraries() {
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    int rewind = 0;
    for (String entry : entries) {
      String name = Path.of(entry).getFileName().toString();
      for (String banned : TEST_LIBRARIES) {
        check(
            !name.toLowerCase(Locale.ROOT).contains(banned),
            "test library on the class path: " + entry);
      }
      if (name.startsWith("rewind-")) {
        rewind++;
      }
    }
    check(rewind >= 4, "expected rewind-train, -layers, -optim and -autodiff on the class path");
    System.out.printf(
        "consumer: runtime class path: %d entries, no junit, jqwik, opentest4j or apiguardian%n",
        entries.length);
  }

  /** Sine waves of random phase: inputs x(t), targets x(t + 1), each [count, length, 1]. */
  private static Batch sines(int count, int length, Random random) {
    double[] inputs = new double[count * length];
    double[] targets = new double[count * length];
    for (int b = 0; b < count; b++) {
      double phase = 2 * Math.PI * random.nextDouble();
      for (int t = 0; t < length; t++) {
        inputs[b * length + t] = Math.sin(phase + 0.3 * t);
        targets[b * length + t] = Math.sin(phase + 0.3 * (t + 1));
      }
    }
    return Batch.of(
        Tensor.of(Shape.of(count, length, 1), inputs),
        Tensor.of(Shape.of(count, length, 1), targets));
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  private Consumer() {}
}

package dev.rewind.bench;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.text.CorpusSplit;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Sgd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What float32 costs in accuracy on W1's LSTM-128: the model trained in float64 and in float32 from
 * the same initial weights (drawn in float64 from one seed, then rounded), on the default corpus,
 * and both validation losses on the corpus's held-out tenth. W1's model and step: an LSTM of 128
 * units over one-hot characters, a linear readout, mean softmax cross-entropy at every step, SGD
 * with learning rate 0.1, batch 32 × 64 characters, each window from a zero state.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.rewind.bench.Float32Training [STEPS]} (500
 * steps by default). It prints each dtype's validation loss before and after training, the training
 * time, and the relative difference of the final losses.
 */
public final class Float32Training {
  private static final int HIDDEN = 128;
  private static final int BATCH = 32;
  private static final int WINDOW = 64;
  private static final int VALIDATION_BATCH = 8;
  private static final double VALIDATION_FRACTION = 0.1;
  private static final long SEED = 42;

  private Float32Training() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    if (steps < 1) {
      throw new IllegalArgumentException("Float32Training: steps must be at least 1, not " + steps);
    }
    Vocabulary vocabulary = Vocabulary.of(DefaultCorpus.corpus());
    CorpusSplit split = DefaultCorpus.corpus().split(VALIDATION_FRACTION);
    LanguageModelStreams training =
        LanguageModelStreams.of(split.training(), vocabulary, BATCH, WINDOW);
    LanguageModelStreams validation =
        LanguageModelStreams.of(split.validation(), vocabulary, VALIDATION_BATCH, WINDOW);
    System.out.printf(
        Locale.ROOT,
        "W1's LSTM-%d on %s: vocabulary %d, %d training and %d validation characters;"
            + " %d SGD steps of %d x %d characters, learning rate %s, from the same initial"
            + " weights%n",
        HIDDEN,
        DefaultCorpus.NAME,
        vocabulary.size(),
        split.training().length(),
        split.validation().length(),
        steps,
        BATCH,
        WINDOW,
        SideBySide.LEARNING_RATE);
    double[] losses = new double[2];
    DType[] dtypes = {DType.FLOAT64, DType.FLOAT32};
    for (int i = 0; i < dtypes.length; i++) {
      Model model = new Model(vocabulary.size(), dtypes[i]);
      double before = model.validationLoss(validation);
      long start = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        model.train(training.oneHot(step % training.windowCount()));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      losses[i] = model.validationLoss(validation);
      System.out.printf(
          Locale.ROOT,
          "%s: validation loss %.6f (before training %.6f), trained in %.1f s%n",
          dtypes[i],
          losses[i],
          before,
          seconds);
    }
    System.out.printf(
        Locale.ROOT,
        "relative difference |float32 - float64| / float64: %.3e%n",
        Math.abs(losses[1] - losses[0]) / losses[0]);
  }

  /** W1's model in one dtype: its weights drawn in float64 from {@link #SEED}, then converted. */
  private static final class Model {
    private final DType dtype;
    private final Recurrent<LstmState> recurrent;
    private final Linear output;
    private final List<Parameter> parameters;
    private final Optimizer sgd;

    Model(int vocabularySize, DType dtype) {
      this.dtype = dtype;
      Random random = new Random(SEED);
      LstmCell cell = LstmCell.random(vocabularySize, HIDDEN, random);
      output = new Linear(HIDDEN, vocabularySize, random);
      cell.to(dtype);
      output.to(dtype);
      Map<String, Parameter> named = new LinkedHashMap<>();
      cell.namedParameters().forEach((name, p) -> named.put("cell." + name, p));
      output.namedParameters().forEach((name, p) -> named.put("output." + name, p));
      parameters = new ArrayList<>(named.values());
      sgd = Sgd.builder(named).learningRate(SideBySide.LEARNING_RATE).build();
      recurrent = new Recurrent<>(cell);
    }

    void train(ClassBatch batch) {
      try (Tape tape = Tape.record()) {
        Var loss = loss(batch);
        Gradients gradients = tape.gradient(loss, parameters);
        sgd.step(ParameterGradients.from(gradients));
      }
    }

    /** The mean cross-entropy over every window of {@code streams}, each from a zero state. */
    double validationLoss(LanguageModelStreams streams) {
      double sum = 0;
      for (int k = 0; k < streams.windowCount(); k++) {
        sum += loss(streams.oneHot(k)).value().item();
      }
      return sum / streams.windowCount(); // every window holds as many characters
    }

    /** The mean cross-entropy of one window: one-hot inputs {@code [rows, columns, vocabulary]}. */
    private Var loss(ClassBatch batch) {
      int rows = batch.targets().rows();
      int columns = batch.targets().columns();
      Var inputs = Var.constant(batch.inputs().to(dtype));
      Var states = recurrent.run(inputs).stacked().reshape(rows * columns, HIDDEN);
      int[] targets = new int[rows * columns];
      for (int b = 0; b < rows; b++) {
        System.arraycopy(batch.targets().row(b), 0, targets, b * columns, columns);
      }
      return Losses.softmaxCrossEntropy(output.apply(states), targets);
    }
  }
}

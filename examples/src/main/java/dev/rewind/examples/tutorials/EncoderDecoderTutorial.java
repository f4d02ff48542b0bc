package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Plots.Series;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.seq.EncoderDecoder;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.Batch;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Many-to-many with an output of another length (note 001's translation; note 004's "input of
 * arbitrary length, output of arbitrary length"; 001_031092f413d1c2a5.txt,
 * 004_54bd929fd6f3ab2a.txt): an {@link EncoderDecoder} of two GRUs learns to write a sequence of
 * symbols backwards and then an end marker, so that 5 symbols in give 6 out.
 *
 * <pre>
 *   encoder:  s(t) = GRU(x(t), s(t−1)),  t = 1 … 5                   x(t) one-hot over the symbols
 *   decoder:  d(0) = s(5),  d(t) = GRU(z(t), d(t−1)),  y(t) = softmax(d(t) V + c),  t = 1 … 6
 * </pre>
 *
 * Training uses teacher forcing: the decoder reads {@code z = <start>, y*(1), …, y*(5)}, the target
 * shifted right. Testing generates: each step's most likely symbol is fed back as the next {@code
 * z}.
 */
final class EncoderDecoderTutorial implements Tutorial {
  private static final char[] SYMBOLS = {'a', 'b', 'c', 'd', 'e', 'f'};
  private static final int K = SYMBOLS.length;

  /** The decoder's output classes: the symbols and {@code <end>}. */
  private static final int END = K;

  /** The decoder's inputs: the symbols, {@code <end>} and {@code <start>}. */
  private static final int START = K + 1;

  private static final int SOURCE_LENGTH = 5;
  private static final int TARGET_LENGTH = SOURCE_LENGTH + 1;
  private static final int HIDDEN = 32;
  private static final int BATCH = 32;
  private static final int STEPS = 300;
  private static final int TEST = 500;
  private static final double LEARNING_RATE = 0.01;

  @Override
  public String id() {
    return "encoder-decoder";
  }

  @Override
  public String summary() {
    return "Many-to-many of another length: an encoder-decoder learns to reverse symbols";
  }

  @Override
  public void run(TutorialRun run) throws Exception {
    Random random = run.random();
    // The model names the GRUs' weights by path (encoder.weightIh, decoder.weightIh, ...), and the
    // optimizer and the training loop key them by those paths.
    GruCell encoder = GruCell.random(K, HIDDEN, random);
    EncoderDecoder<HiddenState, HiddenState> model =
        new EncoderDecoder<>(
            encoder,
            GruCell.random(K + 2, HIDDEN, random),
            state -> state,
            new Linear(HIDDEN, K + 1, random),
            EncoderDecoderTutorial::feedBack);
    int parameterCount = model.parameterCount();
    Optimizer adam = Adam.builder(model.namedParameters()).learningRate(LEARNING_RATE).build();
    int[][] testSources = sources(TEST, random);

    run.say(
        "Reverse a sequence: %d symbols from {a, …, f} in, the same symbols backwards and an",
        SOURCE_LENGTH);
    run.say(
        "<end> marker out, so the output (%d steps) is longer than the input. An encoder GRU",
        TARGET_LENGTH);
    run.say(
        "(%d units) reads the source; its last state starts a decoder GRU, whose readout gives",
        HIDDEN);
    run.say("each output symbol (the many-to-many of another length of notes 001 and 004).");
    run.say(
        "%d parameters, trained with Adam (rate %s) on %d batches of %d fresh sequences,",
        parameterCount, LEARNING_RATE, STEPS, BATCH);
    run.say("with teacher forcing: the decoder reads <start> and then the true previous symbol.");
    run.say("");

    // Every batch holds new sequences and the encoder starts them from zeros, so the step has no
    // use for the state the loop hands it; the decoder's final state it returns is carried nowhere.
    double[] losses =
        Trainer.builder(model, adam, BATCH, encoder::initialState)
            .source(
                position -> {
                  int[][] sources = sources(BATCH, random);
                  return Batch.of(Batch.indexTensor(sources), Batch.indexTensor(targets(sources)));
                })
            .step(
                (batch, state, generator) -> {
                  int[][] sources = batch.inputIndices();
                  Unrolled<HiddenState> decoded =
                      model.teacherForced(
                          oneHot(sources, K), null, oneHot(decoderInputs(sources), K + 2), null);
                  Var loss = Losses.softmaxCrossEntropy(decoded.stacked(), batch.targetIndices());
                  return StepResult.of(loss, decoded.finalState());
                })
            .build()
            .fit(STEPS)
            .lossArray();
    for (int step = 0; step < STEPS; step++) {
      if (step == 0 || (step + 1) % 50 == 0) {
        run.say("  step %3d: cross-entropy %.4f", step + 1, losses[step]);
      }
    }

    int[][] generated = generate(model, testSources);
    int[][] expected = targets(testSources);
    int rightSymbols = 0;
    int rightSequences = 0;
    for (int i = 0; i < TEST; i++) {
      int right = 0;
      for (int t = 0; t < TARGET_LENGTH; t++) {
        right += generated[i][t] == expected[i][t] ? 1 : 0;
      }
      rightSymbols += right;
      rightSequences += right == TARGET_LENGTH ? 1 : 0;
    }
    double symbolAccuracy = (double) rightSymbols / (TEST * TARGET_LENGTH);
    double sequenceAccuracy = (double) rightSequences / TEST;

    run.say("");
    run.say(
        "Generating on %d new sequences (no teacher: each output fed back as the next input):",
        TEST);
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String line =
          String.format(
              "%s -> %s   (target %s)%s",
              text(testSources[i]),
              text(generated[i]),
              text(expected[i]),
              Arrays.equals(generated[i], expected[i]) ? "" : "   wrong");
      examples.add(line);
      run.say("  %s", line);
    }
    run.say("");
    run.say(
        "Symbols right: %.1f%%; whole sequences right: %.1f%% (chance: %.1f%% per symbol).",
        100 * symbolAccuracy, 100 * sequenceAccuracy, 100.0 / (K + 1));
    run.say(
        "The encoder has to squeeze the whole source into one state of %d numbers, and the",
        HIDDEN);
    run.say("decoder must unpack it last symbol first: the first source symbol is needed last.");
    run.say("encoder-decoder-learning-curve.png shows the teacher-forced cross-entropy per batch.");

    Plots.lines(
        run.plot("encoder-decoder-learning-curve.png"),
        "Encoder-decoder learning to reverse " + SOURCE_LENGTH + " symbols",
        "batch",
        "cross-entropy per output symbol (log scale)",
        true,
        List.of(Series.overSteps("teacher-forced training loss", losses)));

    run.result("parameters", parameterCount);
    run.result("losses", losses);
    run.result("symbolAccuracy", symbolAccuracy);
    run.result("sequenceAccuracy", sequenceAccuracy);
    run.result("examples", examples);
  }

  /** Greedy decoding: the most likely symbol at each step, fed back. */
  private static int[][] generate(EncoderDecoder<HiddenState, HiddenState> model, int[][] sources) {
    int batch = sources.length;
    int[] starts = new int[batch];
    Arrays.fill(starts, START);
    List<Var> logits;
    try (Tape.NoGradScope noGrad = Tape.noGrad()) {
      logits =
          model
              .generate(
                  oneHot(sources, K),
                  null,
                  Var.constant(Layout.oneHot(starts, K + 2)),
                  TARGET_LENGTH)
              .outputs();
    }
    int[][] generated = new int[batch][TARGET_LENGTH];
    for (int t = 0; t < TARGET_LENGTH; t++) {
      int[] best = argmax(logits.get(t).value());
      for (int b = 0; b < batch; b++) {
        generated[b][t] = best[b];
      }
    }
    return generated;
  }

  /**
   * The next decoder input while generating: the most likely output, one-hot over the decoder's
   * inputs. It is a constant, so no gradient flows back through the choice.
   */
  private static Var feedBack(Var logits) {
    return Var.constant(Layout.oneHot(argmax(logits.value()), K + 2));
  }

  private static int[] argmax(Tensor rows) {
    int n = rows.shape().dim(0);
    int classes = rows.shape().dim(1);
    int[] best = new int[n];
    for (int i = 0; i < n; i++) {
      for (int c = 1; c < classes; c++) {
        if (rows.get(i, c) > rows.get(i, best[i])) {
          best[i] = c;
        }
      }
    }
    return best;
  }

  private static int[][] sources(int count, Random random) {
    int[][] sources = new int[count][SOURCE_LENGTH];
    for (int[] source : sources) {
      for (int t = 0; t < SOURCE_LENGTH; t++) {
        source[t] = random.nextInt(K);
      }
    }
    return sources;
  }

  /** The source backwards, then {@code <end>}. */
  private static int[][] targets(int[][] sources) {
    int[][] targets = new int[sources.length][TARGET_LENGTH];
    for (int b = 0; b < sources.length; b++) {
      for (int t = 0; t < SOURCE_LENGTH; t++) {
        targets[b][t] = sources[b][SOURCE_LENGTH - 1 - t];
      }
      targets[b][SOURCE_LENGTH] = END;
    }
    return targets;
  }

  /** Teacher forcing: {@code <start>} and then the target shifted right by one. */
  private static int[][] decoderInputs(int[][] sources) {
    int[][] targets = targets(sources);
    int[][] inputs = new int[sources.length][TARGET_LENGTH];
    for (int b = 0; b < sources.length; b++) {
      inputs[b][0] = START;
      System.arraycopy(targets[b], 0, inputs[b], 1, TARGET_LENGTH - 1);
    }
    return inputs;
  }

  /** {@code [batch, time, classes]}. */
  private static Var oneHot(int[][] indices, int classes) {
    int batch = indices.length;
    int steps = indices[0].length;
    int[] flat = new int[batch * steps];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(indices[b], 0, flat, b * steps, steps);
    }
    return Var.constant(Layout.oneHot(flat, classes).reshape(Shape.of(batch, steps, classes)));
  }

  private static String text(int[] symbols) {
    StringBuilder text = new StringBuilder();
    for (int symbol : symbols) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(symbol == END ? "<end>" : String.valueOf(SYMBOLS[symbol]));
    }
    return text.toString();
  }
}

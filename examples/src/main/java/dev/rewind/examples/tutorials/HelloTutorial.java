package dev.rewind.examples.tutorials;

import static com.google.common.base.Preconditions.checkState;

import dev.rewind.datasets.tasks.Hello;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.TokenBatch;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.examples.text.CellType;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.examples.text.LearningCurve;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.sample.Categorical;
import dev.rewind.layers.sample.Sampler;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Note 000's character language model (000_a414762ec7da5e42.txt, "An example – Language
 * modelling"): vocabulary [h, e, l, o], training sequence "hello". Given characters 1 … t the model
 * predicts character t + 1, so reading "hell" it must answer "ello" — and the two l's need
 * different answers, which only the hidden state can tell apart. The network is the notes' Elman
 * layer, {@code h(t) = tanh(U x(t) + W h(t−1) + b)} with one-hot inputs and 3 hidden units, and a
 * softmax readout. At test time it generates text by sampling one character at a time and feeding
 * it back, with a temperature.
 */
final class HelloTutorial implements Tutorial {
  private static final int HIDDEN = 3;
  private static final int STEPS = 300;
  private static final double LEARNING_RATE = 0.05;
  private static final double MAX_NORM = 5;
  private static final int SAMPLES = 5;
  private static final double[] TEMPERATURES = {0, 1, 3};

  @Override
  public String id() {
    return "hello";
  }

  @Override
  public String summary() {
    return "Note 000's character model learns \"hell\" -> \"ello\", then writes by sampling";
  }

  @Override
  public void run(TutorialRun run) throws Exception {
    Vocabulary vocabulary = Hello.vocabulary();
    LanguageModelStreams word =
        LanguageModelStreams.of(
            Corpus.of(Hello.WORD, Hello.WORD), vocabulary, 1, Hello.inputText().length());
    TokenBatch window = word.indices(0);
    checkState(
        Arrays.deepEquals(window.targets().toArray(), Hello.batch().targetArray()),
        "the window's targets differ from note 000's \"ello\"");
    CharModel<?> model =
        CharModel.create(
            new CharModel.Config(CellType.ELMAN, vocabulary.size(), 0, HIDDEN), run.random());
    run.say("Note 000's character model: vocabulary [h, e, l, o], training sequence \"hello\".");
    run.say(
        "Each character enters as a one-hot vector (h = 1 0 0 0); an Elman layer of %d tanh units"
            + " carries what has been read; a linear readout gives 4 scores, and their softmax is"
            + " the probability of each next character. %d parameters in all.",
        HIDDEN, model.parameterCount());
    run.say(
        "Reading \"hell\", it should predict \"ello\": after the first l an l, after the second an o.");
    run.say("");
    run.say("Before training (random weights, seed %d):", run.seed());
    Predictions before = predictions(model, window, vocabulary, run);

    run.say("");
    LearningCurve curve = train(model, word);
    double[] losses = curve.training();
    run.say(
        "Training: %d steps of Adam (learning rate %s) on the one sequence, gradients clipped to"
            + " global norm %s. Cross-entropy %.4f -> %.4f nats per character.",
        STEPS, LEARNING_RATE, MAX_NORM, losses[0], losses[losses.length - 1]);
    run.say("");
    run.say("After training:");
    Predictions after = predictions(model, window, vocabulary, run);

    run.say("");
    run.say(
        "Generating: start from 'h', sample the next character from softmax(scores / T), feed it"
            + " back, four times. T = 0 always takes the likeliest character; T = 1 samples the"
            + " model's own probabilities; larger T flattens them towards uniform.");
    Random random = run.random();
    Map<String, List<String>> samples = new LinkedHashMap<>();
    Map<String, Double> helloFraction = new LinkedHashMap<>();
    for (double temperature : TEMPERATURES) {
      List<String> words = new ArrayList<>();
      for (int i = 0; i < (temperature == 0 ? 1 : SAMPLES); i++) {
        int[] sampled =
            model.generate(vocabulary.encode("h"), 4, Sampler.temperature(temperature), random);
        words.add("h" + vocabulary.decode(sampled));
      }
      long hellos = words.stream().filter(Hello.WORD::equals).count();
      String label = "T=" + number(temperature);
      samples.put(label, words);
      helloFraction.put(label, hellos / (double) words.size());
      run.say(
          "  T = %-3s %s   (%d of %d spell \"hello\")",
          number(temperature), String.join("  ", words), hellos, words.size());
    }
    run.say(
        "Once trained, the model is nearly sure of every next letter, so at T = 0 and T = 1 it"
            + " spells \"hello\"; dividing its scores by T = 3 flattens them, and other letters"
            + " slip in."
            + " (After the o it has never seen what follows: past \"hello\" it would babble.)");

    Plots.lines(
        run.plot("hello-learning-curve.png"),
        "hello: cross-entropy while learning \"hell\" -> \"ello\"",
        "step",
        "cross-entropy (nats per character, log scale)",
        true,
        List.of(Plots.Series.overSteps("training loss", losses)));
    run.say("");
    run.say(
        "hello-learning-curve.png: the loss on a log scale. It falls steeply while the predictions"
            + " become right, then slowly, as the right letters' probabilities creep towards 1.");

    run.result("vocabulary", "helo");
    run.result("hiddenUnits", HIDDEN);
    run.result("probabilitiesBefore", before.probabilities());
    run.result("predictedBefore", before.predicted());
    run.result("accuracyBefore", before.accuracy());
    run.result("probabilitiesAfter", after.probabilities());
    run.result("predictedAfter", after.predicted());
    run.result("accuracyAfter", after.accuracy());
    run.result("lossBefore", losses[0]);
    run.result("lossAfter", losses[losses.length - 1]);
    run.result("learningCurve", losses);
    run.result("samples", samples);
    run.result("helloFraction", helloFraction);
  }

  private static <S extends RecurrentState<S>> LearningCurve train(
      CharModel<S> model, LanguageModelStreams word) {
    return CharTrainer.adam(model, word, LEARNING_RATE, MAX_NORM)
        .train(STEPS, null, STEPS, step -> {});
  }

  /** Prints, for each character of "hell", the probability of each next character. */
  private static Predictions predictions(
      CharModel<?> model, TokenBatch window, Vocabulary vocabulary, TutorialRun run) {
    int[] inputs = window.inputs().row(0);
    int[] targets = window.targets().row(0);
    double[][] logits = logits(model, window.inputs().toArray());
    run.say("  reads  should say   P(h)   P(e)   P(l)   P(o)   says");
    List<double[]> probabilities = new ArrayList<>();
    StringBuilder predicted = new StringBuilder();
    int right = 0;
    for (int t = 0; t < inputs.length; t++) {
      double[] p = Categorical.probabilities(logits[t], 1);
      int best = Categorical.argmax(p);
      probabilities.add(p);
      predicted.appendCodePoint(vocabulary.symbol(best));
      right += best == targets[t] ? 1 : 0;
      run.say(
          "  %s      %s          %.3f  %.3f  %.3f  %.3f  %s  %s",
          vocabulary.decode(inputs[t]),
          vocabulary.decode(targets[t]),
          p[0],
          p[1],
          p[2],
          p[3],
          vocabulary.decode(best),
          best == targets[t] ? "right" : "wrong");
    }
    double accuracy = right / (double) inputs.length;
    run.say("  predicted \"%s\" for \"ello\": accuracy %.2f", predicted, accuracy);
    return new Predictions(probabilities, predicted.toString(), accuracy);
  }

  /** The logits of every step of the first sequence: {@code [time][vocabulary]}. */
  private static <S extends RecurrentState<S>> double[][] logits(
      CharModel<S> model, int[][] inputs) {
    double[] flat = model.forward(inputs, null).logits().value().toArray();
    int classes = model.config().vocabularySize();
    double[][] rows = new double[inputs[0].length][];
    for (int t = 0; t < rows.length; t++) {
      rows[t] = Arrays.copyOfRange(flat, t * classes, (t + 1) * classes);
    }
    return rows;
  }

  /** {@code 0}, {@code 1}, {@code 0.5}: a temperature as a reader writes it. */
  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private record Predictions(List<double[]> probabilities, String predicted, double accuracy) {}
}

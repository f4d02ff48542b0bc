package dev.rewind.examples.tutorials;

import com.google.common.collect.ImmutableMap;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.CorpusSplit;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.examples.text.Baselines;
import dev.rewind.examples.text.CellType;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.examples.text.LearningCurve;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.sample.Sampler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Note 000's character language model on a real text (000_a414762ec7da5e42.txt, "An example –
 * Language modelling", and truncated BPTT from 004_54bd929fd6f3ab2a.txt): an embedding, an LSTM and
 * a softmax readout trained on contiguous windows with the state carried across them, then sampled
 * one character at a time at two temperatures.
 *
 * <p>The text is the built-in corpus ({@link DefaultCorpus}) unless the system property {@value
 * #PROPERTY} or the environment variable {@value #ENVIRONMENT} names a UTF-8 file: {@code
 * REWIND_TEXT=notes.txt ./rewind run char-model}. Training is brief (a few seconds); for a longer
 * run use {@code ./rewind train-text FILE}.
 */
final class CharModelTutorial implements Tutorial {
  /** The system property naming a text file to train on. */
  static final String PROPERTY = "rewind.text";

  /** The environment variable naming a text file, read when the property is not set. */
  static final String ENVIRONMENT = "REWIND_TEXT";

  private static final int HIDDEN = 32;
  private static final int EMBEDDING = 16;
  private static final int BATCH = 8;
  private static final int WINDOW = 32;
  private static final int STEPS = 150;
  private static final double LEARNING_RATE = 0.01;
  private static final double MAX_NORM = 5;
  private static final int EVALUATE_EVERY = 25;
  private static final int MAX_VALIDATION_CHARACTERS = 2_000;
  private static final int SAMPLE_LENGTH = 160;
  private static final double[] TEMPERATURES = {0.5, 1.0};

  @Override
  public String id() {
    return "char-model";
  }

  @Override
  public String summary() {
    return "An LSTM character model trained on a text (REWIND_TEXT=file), sampled at two"
        + " temperatures";
  }

  @Override
  public void run(TutorialRun run) throws Exception {
    Corpus corpus = corpus();
    Vocabulary vocabulary = Vocabulary.of(corpus);
    CorpusSplit split = corpus.split(0.1);
    LanguageModelStreams training =
        LanguageModelStreams.of(split.training(), vocabulary, BATCH, WINDOW);
    LanguageModelStreams validation =
        CharTrainer.validationStreams(
            split.validation(), vocabulary, BATCH, WINDOW, MAX_VALIDATION_CHARACTERS);
    CharModel.Config config =
        new CharModel.Config(CellType.LSTM, vocabulary.size(), EMBEDDING, HIDDEN);
    CharModel<?> model = CharModel.create(config, run.random());

    run.say(
        "The text: %s, %,d characters, %d distinct; the last 10%% is kept aside to measure how"
            + " well the model predicts text it has not trained on (set %s=file to use your own).",
        corpus.name(), corpus.length(), vocabulary.size(), ENVIRONMENT);
    run.say(
        "The model: each character looks up a row of %d numbers (an embedding: the notes' one-hot"
            + " vector times a matrix), an LSTM of %d units reads them, and a linear readout scores"
            + " each of the %d characters as the next one; %,d parameters.",
        EMBEDDING, HIDDEN, vocabulary.size(), model.parameterCount());
    run.say(
        "Training: the text is cut into %d streams read side by side, %d characters (one window)"
            + " per step; the LSTM's state is carried from one window to the next but cut off the"
            + " tape between them (truncated BPTT). Adam, learning rate %s, gradients clipped to"
            + " norm %s; %d steps.",
        training.batch(), training.window(), LEARNING_RATE, MAX_NORM, STEPS);

    LearningCurve curve = train(model, training, validation);
    double before = curve.validation()[0];
    double after = curve.lastValidation();
    double uniform = Baselines.uniform(vocabulary);
    double unigram = Baselines.unigram(split.training(), validation, vocabulary);
    run.say("");
    run.say("Validation cross-entropy, in nats per character (lower is better):");
    run.say(
        "  %-40s %.3f", "guessing uniformly among " + vocabulary.size() + " characters", uniform);
    run.say("  %-40s %.3f", "knowing only how often each one occurs", unigram);
    run.say("  %-40s %.3f", "the model before training", before);
    run.say(
        "  %-40s %.3f  (%.2f bits)",
        "the model after " + STEPS + " steps", after, after / Math.log(2));
    run.say(
        "A loss below the frequency guess means the model uses what it has read: spelling, word"
            + " boundaries, which letter follows which.");

    String prime = prime(corpus);
    Random random = run.random();
    Map<String, String> samples = new LinkedHashMap<>();
    run.say("");
    run.say(
        "Samples: read \"%s\", then draw each next character from softmax(scores / T) and feed it"
            + " back.",
        prime);
    for (double temperature : TEMPERATURES) {
      int[] sampled =
          model.generate(
              vocabulary.encode(prime), SAMPLE_LENGTH, Sampler.temperature(temperature), random);
      String sample = prime + vocabulary.decode(sampled);
      samples.put("T=" + temperature, sample);
      run.say("  T = %s: %s", temperature, sample.replace("\n", " / "));
    }
    run.say(
        "At T = 0.5 the model keeps to the words it is surest of and repeats them; at T = 1 it"
            + " samples its own probabilities, with more variety and more misspellings.");

    curve.plot(
        run.plot("char-model-learning-curve.png"),
        "char-model: LSTM on " + corpus.name(),
        ImmutableMap.of(
            "guessing uniformly (ln V)", uniform,
            "character frequencies only", unigram));
    run.say("");
    run.say(
        "char-model-learning-curve.png: the loss of each training window, and the validation loss"
            + " measured every %d steps, against the two guesses that read nothing.",
        EVALUATE_EVERY);

    run.result("corpus", corpus.name());
    run.result("characters", corpus.length());
    run.result("vocabularySize", vocabulary.size());
    run.result("parameters", model.parameterCount());
    run.result("uniformLoss", uniform);
    run.result("unigramLoss", unigram);
    run.result("validationLossBefore", before);
    run.result("validationLossAfter", after);
    run.result("validationSteps", curve.validationSteps());
    run.result("validationLosses", curve.validation());
    run.result("trainingLosses", curve.training());
    run.result("samples", samples);
  }

  /** The file named by {@value #PROPERTY} or {@value #ENVIRONMENT}, or the built-in corpus. */
  static Corpus corpus() {
    String file = System.getProperty(PROPERTY);
    if (file == null || file.isBlank()) {
      file = System.getenv(ENVIRONMENT);
    }
    return file == null || file.isBlank() ? DefaultCorpus.corpus() : Corpus.read(Path.of(file));
  }

  private static <S extends RecurrentState<S>> LearningCurve train(
      CharModel<S> model, LanguageModelStreams training, LanguageModelStreams validation) {
    return CharTrainer.adam(model, training, LEARNING_RATE, MAX_NORM)
        .train(STEPS, validation, EVALUATE_EVERY, step -> {});
  }

  /** The text's first word and the space after it (at most 20 characters): what sampling reads. */
  static String prime(Corpus corpus) {
    String text = corpus.text();
    int end = Math.min(text.length(), 20);
    int space = text.indexOf(' ');
    if (space >= 0 && space < end) {
      end = space + 1;
    }
    return text.substring(0, Math.max(1, end));
  }
}

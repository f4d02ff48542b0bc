package dev.rewind.examples.cli;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.CorpusSplit;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.text.Baselines;
import dev.rewind.examples.text.CharCheckpoint;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.LearningCurve;
import dev.rewind.layers.sample.Sampler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * What {@code train-text} tells on stdout: the text and the model before training; after it, the
 * validation loss beside the baselines, the files written (the checkpoint, the learning curve) and
 * a sample.
 */
final class TrainTextReport {
  private final PrintWriter stdout;

  TrainTextReport(PrintWriter stdout) {
    this.stdout = stdout;
  }

  /** The text's size, its distinct characters and how it is split. */
  void corpus(Corpus corpus, Vocabulary vocabulary, CorpusSplit split) {
    stdout.printf(
        Locale.ROOT,
        "%s: %,d characters, %d distinct; %,d for training, %,d for validation%n",
        corpus.name(),
        corpus.length(),
        vocabulary.size(),
        split.training().length(),
        split.validation().length());
  }

  /** The model and how it will be trained; flushed, as training writes to stderr next. */
  void model(
      CharModel<?> model,
      long steps,
      LanguageModelStreams training,
      double learningRate,
      double clip) {
    stdout.printf(
        Locale.ROOT,
        "model: %s, %,d parameters%s; %d steps, each reading %d streams of %d characters; Adam %s,"
            + " clip %s%n",
        model.config(),
        model.parameterCount(),
        model.dtype() == DType.FLOAT32 ? " in float32" : "",
        steps,
        training.batch(),
        training.window(),
        learningRate,
        clip);
    stdout.flush();
  }

  /**
   * The last validation loss against that at the first step and those of guessing uniformly or by
   * character frequencies; or, with no {@code validation} streams, that there was none.
   */
  void validation(
      LearningCurve curve,
      long steps,
      CorpusSplit split,
      LanguageModelStreams validation,
      Vocabulary vocabulary) {
    if (validation == null) {
      stdout.printf("validation: the text is too short to keep characters aside%n");
      return;
    }
    long firstStep = curve.firstStep();
    stdout.printf(
        Locale.ROOT,
        "validation loss: %.3f nats per character (%.3f bits) after %d steps; %s %.3f; guessing"
            + " uniformly %.3f; from character frequencies %.3f%n",
        curve.lastValidation(),
        curve.lastValidation() / Math.log(2),
        steps,
        firstStep == 0 ? "before training" : "when resumed at step " + firstStep,
        curve.validation()[0],
        Baselines.uniform(vocabulary),
        Baselines.unigram(split.training(), validation, vocabulary));
  }

  /** Where the model's parameters and vocabulary were saved. */
  void checkpoint(Path checkpoint) {
    stdout.printf(
        "checkpoint: %s (vocabulary: %s)%n", checkpoint, CharCheckpoint.vocabularyFile(checkpoint));
  }

  /** Plots {@code curve} to {@code png}, with the loss of guessing uniformly, and says where. */
  void learningCurve(LearningCurve curve, Path png, CharModel.Config config, Vocabulary vocabulary)
      throws IOException {
    long firstStep = curve.firstStep();
    String title =
        "train-text: " + config + (firstStep == 0 ? "" : " (from step " + firstStep + ")");
    curve.plot(
        png, title, ImmutableMap.of("guessing uniformly (ln V)", Baselines.uniform(vocabulary)));
    stdout.printf("learning curve: %s%n", png);
  }

  /**
   * Generates {@code length} characters after {@code start} and prints them. The generator is
   * seeded afresh with {@code seed}, so the sample depends on the model, not on how far the run's
   * own generator has gone.
   */
  void sample(
      CharModel<?> model,
      Vocabulary vocabulary,
      String start,
      int length,
      double temperature,
      long seed) {
    int[] sampled =
        model.generate(
            vocabulary.encode(start), length, Sampler.temperature(temperature), new Random(seed));
    String sample = vocabulary.decode(sampled);
    stdout.printf(Locale.ROOT, "sample (temperature %s):%n%s%s%n", temperature, start, sample);
    stdout.flush();
  }
}

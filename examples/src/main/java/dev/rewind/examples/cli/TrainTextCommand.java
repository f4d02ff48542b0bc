package dev.rewind.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.datasets.DatasetException;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.CorpusSplit;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.text.CellType;
import dev.rewind.examples.text.CharCheckpoint;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.examples.text.DefaultCorpus;
import dev.rewind.examples.text.LearningCurve;
import dev.rewind.layers.RecurrentState;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rewind train-text [FILE]}: trains a character model, shows its progress, measures its
 * validation loss, saves a checkpoint and prints a sample. This class holds the options, checks
 * them and runs the steps in order; {@link TrainTextLoop} trains, {@link TrainTextCheckpoints}
 * saves and resumes, {@link TrainTextReport} writes what the run prints.
 */
@Command(
    name = "train-text",
    mixinStandardHelpOptions = true,
    description = {
      "Train a character language model on a UTF-8 text file, then generate text from it.",
      "The last 10%% of the text is kept aside to measure the validation loss (on at most its"
          + " first 20,000 characters). Progress goes to stderr; the losses, the checkpoint's paths"
          + " and a sample to stdout; the learning curve to DIR/learning-curve.png.",
      "With no FILE it trains on the built-in corpus: English-like sentences about recurrent"
          + " networks, generated from a small grammar with a fixed seed.",
      "Every --checkpoint-every steps, and at the end, it saves everything needed to continue"
          + " (parameters, Adam's moments, the random generator, the step, the position in the"
          + " text, the state carried between windows) into --checkpoints DIR, keeping the last"
          + " --keep. Ctrl-C (or SIGTERM) stops after the current step, saves a checkpoint and"
          + " exits with code 130; run the same command with --resume to continue exactly where"
          + " it stopped: the result is bit for bit that of an uninterrupted run."
    })
final class TrainTextCommand implements Callable<Integer> {
  private static final double VALIDATION_FRACTION = 0.1;
  // Validation is measured ten times a run: on a long text, on the first part of its last 10%.
  private static final int MAX_VALIDATION_CHARACTERS = 20_000;

  /** The exit code of a run stopped by Ctrl-C, as a shell reports a process ended by SIGINT. */
  static final int INTERRUPTED = 130;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "A UTF-8 text file (default: the built-in corpus).")
  Path file;

  @Option(
      names = "--cell",
      paramLabel = "lstm|gru|elman",
      description = "The recurrent cell (default: ${DEFAULT-VALUE}).")
  String cell = "lstm";

  @Option(names = "--hidden", description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int hidden = 64;

  @Option(
      names = "--embedding",
      description = "Embedding width; 0 feeds one-hot vectors instead (default: ${DEFAULT-VALUE}).")
  int embedding = 32;

  @Option(
      names = "--steps",
      description = "Training steps, one window each (default: ${DEFAULT-VALUE}).")
  int steps = 1000;

  @Option(names = "--batch", description = "Streams read side by side (default: ${DEFAULT-VALUE}).")
  int batch = 16;

  @Option(
      names = "--window",
      description =
          "Characters per window: how far back gradients flow (truncated BPTT) (default:"
              + " ${DEFAULT-VALUE}).")
  int window = 32;

  @Option(names = "--lr", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate = 0.005;

  @Option(
      names = "--clip",
      description =
          "The largest global gradient norm; larger ones are scaled down (default:"
              + " ${DEFAULT-VALUE}).")
  double clip = 5;

  @Option(names = "--seed", description = "The random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--temperature",
      description =
          "Sampling temperature: below 1 safer, above 1 wilder, 0 always the likeliest character"
              + " (default: ${DEFAULT-VALUE}).")
  double temperature = 0.8;

  @Option(
      names = "--sample-length",
      description = "Characters to generate (default: ${DEFAULT-VALUE}).")
  int sampleLength = 400;

  @Option(
      names = "--prime",
      description =
          "Text the model reads before sampling (default: the first character of the" + " text).")
  String prime;

  @Option(
      names = "--checkpoint",
      paramLabel = "PATH",
      description =
          "Where to save the parameters (safetensors); the vocabulary goes next to it as"
              + " NAME.vocabulary.txt (default: DIR/model.safetensors).")
  Path checkpoint;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "The folder for the learning curve and the checkpoint (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("rewind-out", "train-text");

  @Option(
      names = "--resume",
      description =
          "Continue from the newest checkpoint in the --checkpoints folder (or start at step 0 if"
              + " there is none). The cell, sizes, batch, window, learning rate, clip, seed, text"
              + " and vocabulary must be those of the run that saved it; --steps may be larger.")
  boolean resume;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description =
          "The folder of training checkpoints, step-000120.ckpt, ... (default: OUT/checkpoints)."
              + " A run without --resume first removes the checkpoints an earlier run left there.")
  Path checkpoints;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "Save a training checkpoint every N steps, and after the last (default: a tenth of"
              + " --steps, at least 1).")
  int checkpointEvery;

  @Option(
      names = "--keep",
      paramLabel = "K",
      description = "Keep the newest K training checkpoints (default: ${DEFAULT-VALUE}).")
  int keep = 3;

  @Option(
      names = "--log-every",
      paramLabel = "N",
      description =
          "When stderr is not a terminal, print progress every N steps (default: about 20 lines"
              + " per run).")
  int logEvery;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    CellType cellType = CellType.parse(cell);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Corpus corpus = file == null ? DefaultCorpus.corpus() : Corpus.read(file);
    checkWindow(corpus);
    Vocabulary vocabulary = Vocabulary.of(corpus);
    String start = prime != null ? prime : new String(Character.toChars(corpus.codePointAt(0)));
    checkPrime(start, vocabulary, corpus);
    CorpusSplit split = corpus.split(VALIDATION_FRACTION);
    LanguageModelStreams training =
        LanguageModelStreams.of(split.training(), vocabulary, batch, window);
    LanguageModelStreams validation =
        CharTrainer.validationStreams(
            split.validation(), vocabulary, batch, window, MAX_VALIDATION_CHARACTERS);
    Path checkpointPath = checkpoint != null ? checkpoint : out.resolve("model.safetensors");
    // Fail now, not after training, if the folders cannot be made.
    Files.createDirectories(out);
    Files.createDirectories(checkpointPath.toAbsolutePath().getParent());
    try (CheckpointFolder folder =
        CheckpointFolder.open(
            checkpoints != null ? checkpoints : out.resolve("checkpoints"), keep)) {
      CharModel.Config config =
          new CharModel.Config(cellType, vocabulary.size(), embedding, hidden);
      // One generator for the whole run: it draws the initial weights, and its state is saved with
      // every checkpoint and restored on --resume.
      Random random = new Random(seed);
      CharModel<?> model = CharModel.create(config, random);

      TrainTextReport report = new TrainTextReport(stdout);
      report.corpus(corpus, vocabulary, split);
      report.model(model, steps, training, learningRate, clip);

      TrainTextSettings settings =
          new TrainTextSettings(
              config, batch, window, learningRate, clip, seed, corpus, vocabulary);
      TrainTextCheckpoints series = new TrainTextCheckpoints(folder, settings, stdout, stderr);
      Optional<LearningCurve> trained = train(model, training, validation, series, random);
      if (trained.isEmpty()) {
        return INTERRUPTED;
      }
      LearningCurve curve = trained.get();

      report.validation(curve, steps, split, validation, vocabulary);
      CharCheckpoint.save(model, vocabulary, checkpointPath);
      report.checkpoint(checkpointPath);
      report.learningCurve(curve, out.resolve("learning-curve.png"), config, vocabulary);
      report.sample(model, vocabulary, start, sampleLength, temperature, seed);
      return 0;
    }
  }

  /**
   * Trains from step 0 or, with --resume, from the newest checkpoint, saving checkpoints as it
   * goes. Returns the losses, or empty when a stop was requested (see {@link TrainTextLoop#run}).
   */
  private <S extends RecurrentState<S>> Optional<LearningCurve> train(
      CharModel<S> model,
      LanguageModelStreams training,
      LanguageModelStreams validation,
      TrainTextCheckpoints series,
      Random random)
      throws IOException {
    CharTrainer<S> trainer = CharTrainer.adam(model, training, learningRate, clip);
    PrintWriter stdout = spec.commandLine().getOut();
    if (resume) {
      random = series.resumeLatest(model, trainer, training, steps).orElse(random);
    } else {
      series.removeEarlier();
    }
    // What --resume said goes out before the progress line starts on stderr.
    stdout.flush();
    long every = logEvery > 0 ? logEvery : Math.max(1, steps / 20);
    long saveEvery = checkpointEvery > 0 ? checkpointEvery : Math.max(1, steps / 10);
    TrainTextLoop loop =
        new TrainTextLoop(
            steps, every, saveEvery, validation, series, stdout, spec.commandLine().getErr());
    return loop.run(model, trainer, random);
  }

  private void checkWindow(Corpus corpus) {
    if (window >= corpus.length()) {
      throw new DatasetException(
          String.format(
              Locale.ROOT,
              "%s: %,d characters, too short for a window of %,d: the window must be shorter than"
                  + " the text",
              corpus.name(),
              corpus.length(),
              window));
    }
  }

  private static void checkPrime(String start, Vocabulary vocabulary, Corpus corpus) {
    checkArgument(!start.isEmpty(), "--prime: the text to start sampling from is empty");
    start
        .codePoints()
        .filter(c -> !vocabulary.contains(c))
        .findFirst()
        .ifPresent(
            c -> {
              throw new IllegalArgumentException(
                  String.format(
                      "--prime: '%s' does not occur in %s, so the model cannot read it",
                      new String(Character.toChars(c)), corpus.name()));
            });
  }

  private void checkOptions() {
    checkArgument(steps >= 1, "--steps %s must be at least 1", steps);
    checkArgument(hidden >= 1, "--hidden %s must be at least 1", hidden);
    checkArgument(embedding >= 0, "--embedding %s must be 0 (one-hot) or positive", embedding);
    checkArgument(batch >= 1, "--batch %s must be at least 1", batch);
    checkArgument(window >= 1, "--window %s must be at least 1", window);
    checkArgument(
        learningRate > 0 && Double.isFinite(learningRate),
        "--lr %s must be positive",
        learningRate);
    checkArgument(clip > 0 && Double.isFinite(clip), "--clip %s must be positive", clip);
    checkArgument(
        temperature >= 0 && Double.isFinite(temperature),
        "--temperature %s must be 0 or positive",
        temperature);
    checkArgument(sampleLength >= 0, "--sample-length %s must not be negative", sampleLength);
    checkArgument(logEvery >= 0, "--log-every %s must not be negative", logEvery);
    checkArgument(
        checkpointEvery >= 0, "--checkpoint-every %s must not be negative", checkpointEvery);
    checkArgument(keep >= 1, "--keep %s must be at least 1", keep);
  }
}

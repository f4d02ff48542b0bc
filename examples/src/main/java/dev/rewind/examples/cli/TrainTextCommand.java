package dev.rewind.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.datasets.DatasetException;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.CorpusSplit;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.checkpoint.CarriedState;
import dev.rewind.examples.checkpoint.Checkpoint;
import dev.rewind.examples.checkpoint.CheckpointFolder;
import dev.rewind.examples.checkpoint.GracefulStop;
import dev.rewind.examples.checkpoint.Progress;
import dev.rewind.examples.checkpoint.TrainingAnomalyException;
import dev.rewind.examples.text.Baselines;
import dev.rewind.examples.text.CellType;
import dev.rewind.examples.text.CharCheckpoint;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharSampler;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.examples.text.DefaultCorpus;
import dev.rewind.examples.text.LearningCurve;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.io.Safetensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * validation loss, saves a checkpoint and prints a sample.
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

  // How long a Ctrl-C waits for the current step and the final checkpoint before the JVM exits.
  private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
  // A checkpoint's settings are read before restoring it only if it is no larger than this.
  private static final long MAX_SETTINGS_READ_BYTES = 1L << 30;
  private static final String ATTRIBUTE_PREFIX = "attribute.";
  private static final String CORPUS = "corpus";
  private static final String CHARACTERS = "characters";
  private static final String VOCABULARY = "vocabulary";

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
    CheckpointFolder folder =
        CheckpointFolder.open(checkpoints != null ? checkpoints : out.resolve("checkpoints"), keep);
    CharModel.Config config = new CharModel.Config(cellType, vocabulary.size(), embedding, hidden);
    // One generator for the whole run: it draws the initial weights, and its state is saved with
    // every checkpoint and restored on --resume.
    Random random = new Random(seed);
    CharModel<?> model = CharModel.create(config, random);

    stdout.printf(
        Locale.ROOT,
        "%s: %,d characters, %d distinct; %,d for training, %,d for validation%n",
        corpus.name(),
        corpus.length(),
        vocabulary.size(),
        split.training().length(),
        split.validation().length());
    stdout.printf(
        Locale.ROOT,
        "model: %s, %,d parameters; %d steps, each reading %d streams of %d characters; Adam %s,"
            + " clip %s%n",
        config,
        model.parameterCount(),
        steps,
        training.batch(),
        training.window(),
        learningRate,
        clip);
    stdout.flush();

    Run run = new Run(corpus, vocabulary, training, validation, folder, random);
    Integer interrupted = train(model, run);
    if (interrupted != null) {
      return interrupted;
    }
    LearningCurve curve = run.curve;

    double uniform = Baselines.uniform(vocabulary);
    double unigram = Double.NaN;
    if (validation == null) {
      stdout.printf("validation: the text is too short to keep characters aside%n");
    } else {
      unigram = Baselines.unigram(split.training(), validation, vocabulary);
      stdout.printf(
          Locale.ROOT,
          "validation loss: %.3f nats per character (%.3f bits) after %d steps; %s %.3f; guessing"
              + " uniformly %.3f; from character frequencies %.3f%n",
          curve.lastValidation(),
          curve.lastValidation() / Math.log(2),
          steps,
          run.firstStep == 0 ? "before training" : "when resumed at step " + run.firstStep,
          curve.validation()[0],
          uniform,
          unigram);
    }
    CharCheckpoint.save(model, vocabulary, checkpointPath);
    stdout.printf(
        "checkpoint: %s (vocabulary: %s)%n",
        checkpointPath, CharCheckpoint.vocabularyFile(checkpointPath));
    Path png = out.resolve("learning-curve.png");
    String title =
        "train-text: " + config + (run.firstStep == 0 ? "" : " (from step " + run.firstStep + ")");
    curve.plot(png, title, ImmutableMap.of("guessing uniformly (ln V)", uniform));
    stdout.printf("learning curve: %s%n", png);
    String sample =
        CharSampler.generate(model, vocabulary, start, sampleLength, temperature, new Random(seed));
    stdout.printf(Locale.ROOT, "sample (temperature %s):%n%s%s%n", temperature, start, sample);
    stdout.flush();
    return 0;
  }

  /** What the training loop works with, and what it leaves for the report. */
  private static final class Run {
    final Corpus corpus;
    final Vocabulary vocabulary;
    final LanguageModelStreams training;
    final LanguageModelStreams validation;
    final CheckpointFolder folder;
    Random random;
    long firstStep;
    LearningCurve curve;

    Run(
        Corpus corpus,
        Vocabulary vocabulary,
        LanguageModelStreams training,
        LanguageModelStreams validation,
        CheckpointFolder folder,
        Random random) {
      this.corpus = corpus;
      this.vocabulary = vocabulary;
      this.training = training;
      this.validation = validation;
      this.folder = folder;
      this.random = random;
    }
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

  /**
   * Trains from step 0 or, with --resume, from the newest checkpoint, saving checkpoints as it
   * goes. Returns null when all the steps are taken, or the exit code 130 when a stop was requested
   * (Ctrl-C, SIGTERM): the run then saved a final checkpoint and said so on stderr.
   */
  private <S extends RecurrentState<S>> Integer train(CharModel<S> model, Run run)
      throws IOException {
    CharTrainer<S> trainer = CharTrainer.adam(model, run.training, learningRate, clip);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (resume) {
      resumeFromLatest(model, trainer, run);
    } else {
      removeEarlierCheckpoints(run.folder, stderr);
    }
    run.firstStep = trainer.steps();
    stdout.flush();

    boolean terminal = System.console() != null;
    long every = logEvery > 0 ? logEvery : Math.max(1, steps / 20);
    ProgressLine progress = new ProgressLine(stderr, terminal, run.firstStep, steps, every);
    long evaluateEvery = Math.max(1, steps / 10);
    long saveEvery = checkpointEvery > 0 ? checkpointEvery : Math.max(1, steps / 10);
    LearningCurve curve = new LearningCurve(run.firstStep);
    run.curve = curve;
    if (run.validation != null) {
      curve.addValidation(trainer.steps(), CharTrainer.evaluate(model, run.validation));
    }
    Map<String, String> settings = settings(run);
    long saved = trainer.steps();
    Path last = null;
    try (GracefulStop stop = GracefulStop.onShutdown(STOP_PATIENCE)) {
      while (trainer.steps() < steps && !stop.requested()) {
        CharTrainer.Step step;
        try {
          step = trainer.step();
        } catch (TrainingAnomalyException e) {
          progress.finish();
          throw new IllegalStateException(
              "training stopped at "
                  + e.getMessage()
                  + (last == null ? "" : "; the last checkpoint is " + last),
              e);
        }
        curve.addTraining(step.loss());
        long number = step.number();
        if (run.validation != null && (number % evaluateEvery == 0 || number == steps)) {
          curve.addValidation(number, CharTrainer.evaluate(model, run.validation));
        }
        progress.update(number, step.loss(), step.tokens());
        if (number % saveEvery == 0 || number == steps) {
          last = save(model, trainer, run, settings);
          saved = number;
        }
      }
      if (stop.requested()) {
        if (saved != trainer.steps() || last == null) {
          last = save(model, trainer, run, settings);
        }
        progress.finish();
        stderr.printf(
            "interrupted at step %d: saved %s; run again with --resume%n", trainer.steps(), last);
        stderr.flush();
        stdout.flush();
        // NOTE: no System.exit here: during a shutdown it would wait for the hook, which waits for
        // this block to close. The JVM exits when the hook returns; in-process callers get 130.
        return INTERRUPTED;
      }
    }
    progress.finish();
    return null;
  }

  private <S extends RecurrentState<S>> Path save(
      CharModel<S> model, CharTrainer<S> trainer, Run run, Map<String, String> settings)
      throws IOException {
    Progress progress =
        Progress.of(trainer.steps(), trainer.dataPosition())
            .withCarried(CarriedState.tensors(trainer.state()))
            .withAttributes(settings);
    return run.folder.save(model, trainer.optimizer(), run.random, progress);
  }

  /**
   * Restores the newest checkpoint into the model, the optimizer, the generator and the trainer,
   * after checking that it was saved by a run with this run's settings and vocabulary.
   */
  private <S extends RecurrentState<S>> void resumeFromLatest(
      CharModel<S> model, CharTrainer<S> trainer, Run run) throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    Optional<Path> latest = run.folder.latest();
    if (latest.isEmpty()) {
      stdout.printf("no checkpoint in %s, starting at step 0%n", run.folder.folder());
      return;
    }
    // Name a difference in the settings before the model's shapes or the optimizer complain.
    Map<String, String> savedSettings = readableAttributes(latest.get());
    if (savedSettings != null) {
      checkSameSettings(latest.get(), savedSettings, run);
    }
    S template = model.initialState(run.training.batch());
    Checkpoint.Restored restored =
        run.folder
            .restoreLatest(model, trainer.optimizer(), CarriedState.shapes(template))
            .orElseThrow();
    for (String problem : restored.passedOver()) {
      spec.commandLine().getErr().printf("rewind: passed over %s%n", problem);
    }
    Progress progress = restored.progress();
    checkSameSettings(restored.file(), progress.attributes(), run);
    long step = progress.step();
    checkArgument(
        step <= steps,
        "--resume: %s is at step %s, past --steps %s: ask for at least %s steps",
        restored.file(),
        step,
        steps,
        step);
    long expected = step % run.training.windowCount();
    checkArgument(
        progress.dataPosition() == expected,
        "--resume: %s reads window %s next, but step %s of this text is window %s",
        restored.file(),
        progress.dataPosition(),
        step,
        expected);
    trainer.resume(step, CarriedState.restore(template, progress.carried()));
    run.random = restored.random();
    stdout.printf("resuming from %s at step %d%n", restored.file(), step);
  }

  /** The attributes of {@code file}, or null if it cannot be read as a checkpoint of sane size. */
  private static Map<String, String> readableAttributes(Path file) {
    try {
      if (Files.size(file) > MAX_SETTINGS_READ_BYTES) {
        return null;
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      Safetensors.readContents(file)
          .metadata()
          .forEach(
              (key, value) -> {
                if (key.startsWith(ATTRIBUTE_PREFIX)) {
                  attributes.put(key.substring(ATTRIBUTE_PREFIX.length()), value);
                }
              });
      return attributes;
    } catch (IOException | RuntimeException e) {
      return null; // restoring names the problem, or passes over the file
    }
  }

  /** This run's settings, as saved with each checkpoint and checked on --resume. */
  private Map<String, String> settings(Run run) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("cell", CellType.parse(cell).label());
    settings.put("hidden", Integer.toString(hidden));
    settings.put("embedding", Integer.toString(embedding));
    settings.put("batch", Integer.toString(batch));
    settings.put("window", Integer.toString(window));
    settings.put("lr", Double.toString(learningRate));
    settings.put("clip", Double.toString(clip));
    settings.put("seed", Long.toString(seed));
    settings.put(CORPUS, run.corpus.name());
    settings.put(CHARACTERS, Integer.toString(run.corpus.length()));
    settings.put(VOCABULARY, vocabularyText(run.vocabulary));
    return settings;
  }

  /**
   * Refuses a checkpoint saved with other settings or another text, naming the first difference.
   */
  private void checkSameSettings(Path file, Map<String, String> saved, Run run) {
    Map<String, String> current = settings(run);
    for (Map.Entry<String, String> entry : current.entrySet()) {
      String key = entry.getKey();
      String was = saved.get(key);
      if (was == null) {
        throw new IllegalArgumentException(
            String.format(
                "--resume: %s was not saved by train-text (no '%s' among its attributes %s)",
                file, key, saved.keySet()));
      }
      if (was.equals(entry.getValue())) {
        continue;
      }
      switch (key) {
        case VOCABULARY -> {
          try {
            Vocabulary.of(was).checkSameAs(run.vocabulary, run.corpus.name());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--resume: " + file + ": " + e.getMessage(), e);
          }
          throw new IllegalArgumentException(
              "--resume: " + file + ": the vocabulary differs from that of " + run.corpus.name());
        }
        case CORPUS, CHARACTERS ->
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "--resume: %s was trained on %s (%s characters), this run reads %s (%,d"
                        + " characters): pass the same text, or another --checkpoints folder",
                    file,
                    saved.getOrDefault(CORPUS, "?"),
                    saved.getOrDefault(CHARACTERS, "?"),
                    run.corpus.name(),
                    run.corpus.length()));
        default ->
            throw new IllegalArgumentException(
                String.format(
                    "--resume: %s was trained with --%s %s, this run has --%s %s: resume with the"
                        + " same settings, or pass another --checkpoints folder",
                    file, key, was, key, entry.getValue()));
      }
    }
  }

  /** The vocabulary's symbols in order, as one string ({@link Vocabulary#of(String)} reads it). */
  private static String vocabularyText(Vocabulary vocabulary) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < vocabulary.size(); i++) {
      text.appendCodePoint(vocabulary.symbol(i));
    }
    return text.toString();
  }

  /**
   * A fresh run starts a fresh series: the checkpoints of an earlier run would confuse --resume.
   */
  private static void removeEarlierCheckpoints(CheckpointFolder folder, PrintWriter stderr)
      throws IOException {
    List<Path> earlier = folder.checkpoints();
    if (earlier.isEmpty()) {
      return;
    }
    for (Path old : earlier) {
      Files.deleteIfExists(old);
    }
    stderr.printf(
        "removed %d checkpoint%s of an earlier run from %s (use --resume to continue one)%n",
        earlier.size(), earlier.size() == 1 ? "" : "s", folder.folder());
    stderr.flush();
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

package dev.rewind.examples.cli;

import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Parallelism;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.CorpusSplit;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.text.CellType;
import dev.rewind.examples.text.CharCheckpoint;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.examples.text.LearningCurve;
import dev.rewind.layers.RecurrentState;
import dev.rewind.train.GracefulStop;
import dev.rewind.train.checkpoint.CheckpointException;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rewind train-text [FILE]}: trains a character model, shows its progress, measures its
 * validation loss, saves a checkpoint and prints a sample. This class holds the options and runs
 * the steps in order; {@link TrainTextOptionChecks} refuses options that cannot make a run, {@link
 * TrainTextLoop} trains (and checkpoints) with the library's loop, {@link TrainTextCheckpoints}
 * says which checkpoints a run may start over or resume from, {@link TrainTextReport} writes what
 * the run prints.
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
          + " --keep. Ctrl-C (SIGINT) or SIGTERM stops after the current step and saves a"
          + " checkpoint (before the first step, it stops with nothing trained or saved); run the"
          + " same command with --resume to continue exactly where it stopped: the result is bit"
          + " for bit that of an uninterrupted run.",
      "Every file it will write is checked before it starts; it never overwrites the text, a"
          + " folder, or a file it did not write.",
      "Exit codes: 0 trained; 2 a mistake in the command line, the text or a destination (one"
          + " line on stderr; nothing saved is lost); 130 stopped by Ctrl-C, 143 by SIGTERM"
          + " (128 + the signal's number), after saving a checkpoint if a step was taken.",
      "Memory: the text takes about 2 bytes per character (4 while it is read); give Java more"
          + " heap with JAVA_OPTS=-Xmx4g ./rewind ..."
    })
final class TrainTextCommand implements Callable<Integer> {
  private static final double VALIDATION_FRACTION = 0.1;
  // Validation is measured ten times a run: on a long text, on the first part of its last 10%.
  private static final int MAX_VALIDATION_CHARACTERS = 20_000;

  /** The exit code of a run stopped by Ctrl-C, as a shell reports a process ended by SIGINT. */
  static final int INTERRUPTED = 130;

  // How long a Ctrl-C waits for the current step and the final checkpoint before the JVM exits.
  private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  /** Where the run's stop comes from: the JVM's shutdown (Ctrl-C, SIGTERM); tests replace it. */
  Supplier<GracefulStop> stops = () -> GracefulStop.onShutdown(STOP_PATIENCE);

  /** Whether stderr is a terminal, where progress is redrawn in place; tests replace it. */
  BooleanSupplier stderrIsTerminal = Terminal::stderrIsTerminal;

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
      names = "--dtype",
      paramLabel = "f64|f32",
      description =
          "The dtype the model trains in: float64, or float32, faster at larger sizes (default:"
              + " ${DEFAULT-VALUE}).")
  String dtype = "f64";

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Threads the kernels run on; the numbers are the same on any count (default: the"
              + " machine's processors, or -Drewind.threads).")
  Integer threads;

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
      names = "--fresh",
      description =
          "Start at step 0 even though the --checkpoints folder holds an earlier run's"
              + " checkpoints: delete them first. Without --resume or --fresh, a run refuses to"
              + " start over them, so that nothing saved is lost.")
  boolean fresh;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description =
          "The folder of training checkpoints, step-000120.ckpt, ... (default: OUT/checkpoints)."
              + " One run writes there at a time (it holds DIR/.lock); a second is refused.")
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
    try {
      return trainText();
    } catch (OutOfMemoryError e) {
      // NOTE: by now the stack has unwound and what filled the heap is garbage.
      throw new IllegalStateException(TrainTextLimits.outOfMemory(), e);
    }
  }

  private int trainText() throws IOException {
    TrainTextOptionChecks.checkOptions(this);
    CellType cellType = CellType.parse(cell);
    int threadsBefore = Parallelism.threads();
    if (threads != null) {
      Parallelism.setThreads(threads);
    }
    // From here on a Ctrl-C (or SIGTERM) only asks the run to stop: before the first step it ends
    // with nothing trained, saved or deleted; after, at a step boundary with a final checkpoint.
    try (GracefulStop stop = stops.get()) {
      return trainText(cellType, stop);
    } finally {
      // The setting is the process's: a program that runs this command goes on as it was.
      Parallelism.setThreads(threadsBefore);
    }
  }

  private int trainText(CellType cellType, GracefulStop stop) throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Path checkpointPath = checkpoint != null ? checkpoint : out.resolve("model.safetensors");
    Path png = out.resolve("learning-curve.png");
    Path checkpointFolder = checkpoints != null ? checkpoints : out.resolve("checkpoints");
    // Every destination is checked before the text is read and long before the first step.
    TrainTextDestinations destinations = new TrainTextDestinations(file);
    destinations.folder("--out", out);
    destinations.checkpointFolder("--checkpoints", checkpointFolder);
    destinations.file("--checkpoint", checkpointPath, TrainTextDestinations.Kind.MODEL);
    destinations.file(
        "--checkpoint's vocabulary",
        CharCheckpoint.vocabularyFile(checkpointPath),
        TrainTextDestinations.Kind.VOCABULARY);
    destinations.file("--out's learning curve", png, TrainTextDestinations.Kind.PNG);

    Corpus corpus = file == null ? DefaultCorpus.corpus() : Corpus.read(file);
    TrainTextOptionChecks.checkWindow(window, corpus);
    Vocabulary vocabulary = Vocabulary.of(corpus);
    String start = prime != null ? prime : new String(Character.toChars(corpus.codePointAt(0)));
    TrainTextOptionChecks.checkPrime(start, vocabulary, corpus);
    CharModel.Config config = new CharModel.Config(cellType, vocabulary.size(), embedding, hidden);
    DType modelDType = TrainTextOptionChecks.dtype(dtype);
    TrainTextLimits.checkModelSize(config);
    CorpusSplit split = corpus.split(VALIDATION_FRACTION);
    LanguageModelStreams training =
        LanguageModelStreams.of(split.training(), vocabulary, batch, window);
    LanguageModelStreams validation =
        CharTrainer.validationStreams(
            split.validation(), vocabulary, batch, window, MAX_VALIDATION_CHARACTERS);
    createFolders(out, checkpointPath);
    try (CheckpointFolder folder = openCheckpoints(checkpointFolder)) {
      TrainTextSettings settings =
          new TrainTextSettings(
              config, modelDType, batch, window, learningRate, clip, seed, corpus, vocabulary);
      TrainTextCheckpoints series =
          new TrainTextCheckpoints(folder, settings, training, stdout, stderr);
      if (stop.requested()) {
        stoppedBeforeTraining(stderr);
        return INTERRUPTED;
      }
      if (!resume) {
        series.startFresh(fresh);
      }
      // One generator for the whole run: it draws the initial weights, and its state is saved with
      // every checkpoint and restored on --resume.
      Random random = new Random(seed);
      CharModel<?> model = CharModel.create(config, random);
      model.to(modelDType);

      TrainTextReport report = new TrainTextReport(stdout);
      report.corpus(corpus, vocabulary, split);
      report.model(model, steps, training, learningRate, clip);

      Optional<LearningCurve> trained = train(model, training, validation, series, random, stop);
      if (trained.isEmpty()) {
        return INTERRUPTED;
      }
      LearningCurve curve = trained.get();

      report.validation(curve, steps, split, validation, vocabulary);
      CharCheckpoint.save(model, vocabulary, checkpointPath);
      report.checkpoint(checkpointPath);
      report.learningCurve(curve, png, config, vocabulary);
      report.sample(model, vocabulary, start, sampleLength, temperature, seed);
      return 0;
    }
  }

  /** Creates --out and the checkpoint's folder, naming the option if one cannot be created. */
  private static void createFolders(Path out, Path checkpointPath) {
    createFolder("--out", out);
    createFolder("--checkpoint", checkpointPath.toAbsolutePath().getParent());
  }

  private static void createFolder(String option, Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + " " + folder + ": cannot be created (" + Main.describe(e) + ")", e);
    }
  }

  private CheckpointFolder openCheckpoints(Path folder) throws IOException {
    try {
      return CheckpointFolder.open(folder, keep);
    } catch (CheckpointException e) {
      throw new IllegalArgumentException("--checkpoints " + e.getMessage(), e);
    }
  }

  /** The one line of a run stopped before its first step. */
  static void stoppedBeforeTraining(PrintWriter stderr) {
    stderr.println("interrupted before the first step: nothing was trained, no checkpoint written");
    stderr.flush();
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
      Random random,
      GracefulStop stop)
      throws IOException {
    CharTrainer<S> trainer = CharTrainer.adam(model, training, learningRate, clip);
    PrintWriter stdout = spec.commandLine().getOut();
    long every = logEvery > 0 ? logEvery : Math.max(1, steps / 20);
    long saveEvery = checkpointEvery > 0 ? checkpointEvery : Math.max(1, steps / 10);
    TrainTextLoop loop =
        new TrainTextLoop(
            steps,
            every,
            saveEvery,
            validation,
            series,
            stdout,
            spec.commandLine().getErr(),
            stderrIsTerminal.getAsBoolean());
    return loop.run(model, trainer, resume, random, stop);
  }
}

package dev.rewind.examples.text;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.TokenBatch;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.train.Batch;
import dev.rewind.train.FitResult;
import dev.rewind.train.StepEvent;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import dev.rewind.train.TrainerBuilder;
import dev.rewind.train.TrainingAnomalyException;
import dev.rewind.train.TrainingListener;
import java.util.function.Consumer;

/**
 * Trains a {@link CharModel} with truncated backpropagation through time (note 004) over the
 * contiguous streams of a {@link LanguageModelStreams}: one optimizer step per window, the state
 * carried from each window into the next and detached between them, so that gradients flow back at
 * most one window while the model still reads the text as one long sequence.
 *
 * <pre>
 *   step n:  k ← n mod windows;   if k = 0: s ← 0           (the streams start again)
 *            logits, s' ← model(inputs_k, s)                (on a tape)
 *            J ← mean over batch and window of −log softmax(logits)[target]
 *            g ← ∂J/∂θ from the tape;   θ ← Adam(clip(g, c));   s ← detach(s')
 * </pre>
 *
 * Clipping is by one global norm over all gradients (note 000's "normalize the gradient when it
 * exceeds a threshold"). The loop is the library's {@link Trainer}: this class configures it for
 * character streams (a batch per window, window 0 starting the streams again).
 *
 * @param <S> the model's state
 */
public final class CharTrainer<S extends RecurrentState<S>> {
  private final CharModel<S> model;
  private final LanguageModelStreams streams;
  private final Optimizer optimizer;
  // The loop of step() and train(); each train() continues it with a loop configured for the call.
  private Trainer<S> trainer;

  private CharTrainer(CharModel<S> model, LanguageModelStreams streams, Optimizer optimizer) {
    this.model = model;
    this.streams = streams;
    this.optimizer = optimizer;
    this.trainer = loop(null, 1).build();
  }

  /**
   * Adam with learning rate {@code learningRate}, its gradients clipped to global L2 norm {@code
   * maxNorm}; a step whose loss or gradients are not finite is an error, a {@link
   * TrainingAnomalyException} naming the step, the first parameter whose gradient went non-finite
   * and the op that produced it. Adam's state is keyed by the parameters' dotted paths.
   */
  public static <S extends RecurrentState<S>> CharTrainer<S> adam(
      CharModel<S> model, LanguageModelStreams streams, double learningRate, double maxNorm) {
    Optimizer adam = Adam.builder(model.namedParameters()).learningRate(learningRate).build();
    return new CharTrainer<>(
        model,
        streams,
        new ClippedOptimizer(adam, ClipByGlobalNorm.l2(maxNorm), NonFinitePolicy.THROW));
  }

  /**
   * A training loop over these streams, to configure further (checkpoints, a stop, listeners, the
   * run's generator) and build: a batch per window, Adam clipped as this trainer's, validation on
   * every window of {@code validation} (null for none) before the first step, every {@code
   * validateEvery} steps and after the last. The loop built is a run of its own, from step 0 or
   * where its {@link Trainer#resume} puts it; {@link #step} and {@link #train} do not follow it.
   */
  public TrainerBuilder<S> loop(LanguageModelStreams validation, long validateEvery) {
    TrainerBuilder<S> builder =
        Trainer.builder(model, optimizer, streams.batch(), model::initialState)
            .source(position -> window(streams, position))
            .step(
                (batch, state, random) -> {
                  CharModel.Output<S> output = model.forward(batch.inputIndices(), state);
                  Var loss = Losses.softmaxCrossEntropy(output.logits(), batch.targetIndices());
                  return StepResult.of(loss, output.state());
                });
    if (validation != null) {
      builder.validation(
          position -> window(validation, position), validation.windowCount(), validateEvery);
    }
    return builder;
  }

  /**
   * Window {@code position mod windows} of {@code streams}; the streams start again (from the
   * initial state) at window 0, and every other window continues the one before it.
   */
  private static Batch window(LanguageModelStreams streams, long position) {
    int k = (int) (position % streams.windowCount());
    TokenBatch window = streams.indices(k);
    return Batch.ofIndices(window.inputs().toArray(), window.targets().toArray(), k != 0);
  }

  /**
   * Trains on the next window and returns its loss (before the update) and gradient norm.
   *
   * @throws TrainingAnomalyException if the loss or a gradient is not finite; the parameters, the
   *     optimizer and the carried state are then as they were
   */
  public Step step() {
    return step(trainer.trainStep());
  }

  private static Step step(StepEvent event) {
    return new Step(event.step(), event.loss(), event.gradientNorm(), (int) event.size());
  }

  /** The optimizer (Adam, clipped), whose state a checkpoint saves. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Takes {@code count} steps and returns their losses. With {@code validation} (null for none),
   * the validation loss is measured before the first step, every {@code evaluateEvery} steps and
   * after the last. {@code listener} hears of every step.
   */
  public LearningCurve train(
      int count, LanguageModelStreams validation, int evaluateEvery, Consumer<Step> listener) {
    checkArgument(count >= 0, "training: the step count %s must not be negative", count);
    checkArgument(evaluateEvery >= 1, "training: evaluateEvery %s must be positive", evaluateEvery);
    Trainer<S> next =
        loop(validation, evaluateEvery)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onStep(StepEvent event) {
                    listener.accept(step(event));
                  }
                })
            .build();
    next.resumeAt(trainer.steps(), trainer.position(), trainer.state());
    trainer = next;
    FitResult result = next.fit(next.steps() + count);
    LearningCurve curve = new LearningCurve();
    result.losses().forEach(curve::addTraining);
    result.validations().forEach(measured -> curve.addValidation(measured.step(), measured.loss()));
    return curve;
  }

  /**
   * Windows of a validation text for {@link #evaluate}: its first {@code maxCharacters} characters
   * (so that measuring stays quick on a long text) as {@code batch} streams of {@code window}
   * characters, or fewer and shorter ones if the text is short; null if it holds fewer than two
   * characters (nothing to predict).
   */
  public static LanguageModelStreams validationStreams(
      Corpus validation, Vocabulary vocabulary, int batch, int window, int maxCharacters) {
    checkArgument(
        maxCharacters >= 2, "validation: maxCharacters %s must be at least 2", maxCharacters);
    int length = Math.min(validation.length(), maxCharacters);
    if (length < 2) {
      return null;
    }
    Corpus text =
        length == validation.length() ? validation : validation.slice(0, length, validation.name());
    int fittingWindow = Math.min(window, length - 1);
    int fittingBatch = Math.max(1, Math.min(batch, length / (fittingWindow + 1)));
    return LanguageModelStreams.of(text, vocabulary, fittingBatch, fittingWindow);
  }

  /** The number of steps taken. */
  public long steps() {
    return trainer.steps();
  }

  /** The characters read in one step: batch × window. */
  public int tokensPerStep() {
    return streams.batch() * streams.window();
  }

  /**
   * The mean cross-entropy per character, in nats, of {@code model} over every window of {@code
   * streams}, read in order with the state carried across windows, as in training; nothing is
   * recorded.
   */
  public static <S extends RecurrentState<S>> double evaluate(
      CharModel<S> model, LanguageModelStreams streams) {
    checkArgument(streams.windowCount() > 0, "%s: no window to evaluate", streams.name());
    double sum = 0;
    long count = 0;
    S carried = null;
    try (var scope = Tape.noGrad()) {
      for (TokenBatch window : streams.indexWindows()) {
        CharModel.Output<S> output = model.forward(window.inputs().toArray(), carried);
        Var total =
            Losses.softmaxCrossEntropy(output.logits(), window.targets().toArray(), Reduction.SUM);
        sum += total.value().item();
        count += (long) window.inputs().rows() * window.inputs().columns();
        carried = output.state();
      }
    }
    return sum / count;
  }

  /**
   * One training step.
   *
   * @param number 1 for the first step
   * @param loss the window's mean cross-entropy per character, in nats, before the update
   * @param gradientNorm the global L2 norm of the gradients before clipping
   * @param tokens the characters read
   */
  public record Step(long number, double loss, double gradientNorm, int tokens) {}
}

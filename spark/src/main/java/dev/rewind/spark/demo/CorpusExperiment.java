package dev.rewind.spark.demo;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.CorpusSplit;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.TokenBatch;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.loss.Losses;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.Rprop;
import dev.rewind.optim.RpropVariant;
import dev.rewind.optim.Sgd;
import dev.rewind.spark.Experiment;
import dev.rewind.spark.SharedFiles;
import dev.rewind.train.Batch;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import dev.rewind.train.TrainerBuilder;
import java.util.Random;

/**
 * The demonstration's experiment: a {@link TextModel} trained on a text with truncated BPTT, one
 * step per window of {@code batch} contiguous streams, the state carried between windows; the last
 * tenth of the text held out and measured every {@code validateEvery} steps.
 *
 * @param batch the streams read side by side
 * @param window the characters of a window
 * @param validateEvery the steps between validations
 */
public record CorpusExperiment(int batch, int window, long validateEvery)
    implements Experiment<SweepConfig> {

  @Override
  public String name(SweepConfig config) {
    return config.name();
  }

  @Override
  public void validate(SweepConfig config) {
    config.validate();
  }

  @Override
  public long steps(SweepConfig config) {
    return config.steps();
  }

  @Override
  public TrainerBuilder<?> trainer(SweepConfig config, SharedFiles dataset) {
    Corpus corpus = Corpus.of(dataset.path(), dataset.readString());
    Vocabulary vocabulary = Vocabulary.of(corpus);
    CorpusSplit split = corpus.split(0.1);
    Random random = new Random(config.seed());
    TextModel<?> model =
        TextModel.create(
            config.cell(), vocabulary.size(), config.embedding(), config.hidden(), random);
    return loop(
        model,
        optimizer(config, model),
        LanguageModelStreams.of(split.training(), vocabulary, batch, window),
        LanguageModelStreams.of(split.validation(), vocabulary, batch, window),
        random);
  }

  private <S extends RecurrentState<S>> TrainerBuilder<S> loop(
      TextModel<S> model,
      Optimizer optimizer,
      LanguageModelStreams training,
      LanguageModelStreams validation,
      Random random) {
    return Trainer.builder(model, optimizer, batch, model::initialState)
        .source(position -> window(training, position))
        .step(
            (part, state, generator) -> {
              TextModel.Output<S> output = model.forward(part.inputIndices(), state);
              Var loss = Losses.softmaxCrossEntropy(output.logits(), part.targetIndices());
              return StepResult.of(loss, output.state());
            })
        .validation(
            position -> window(validation, position), validation.windowCount(), validateEvery)
        .random(random);
  }

  /** Window {@code position mod windows}; window 0 starts the streams again. */
  static Batch window(LanguageModelStreams streams, long position) {
    int k = (int) (position % streams.windowCount());
    TokenBatch window = streams.indices(k);
    return Batch.ofIndices(window.inputs().toArray(), window.targets().toArray(), k != 0);
  }

  static Optimizer optimizer(SweepConfig config, TextModel<?> model) {
    return switch (config.optimizer()) {
      case "adam" ->
          Adam.builder(model.namedParameters()).learningRate(config.learningRate()).build();
      case "sgd" ->
          Sgd.builder(model.namedParameters()).learningRate(config.learningRate()).build();
      default ->
          Rprop.builder(RpropVariant.IRPROP_MINUS, model.namedParameters())
              .initialStep(config.learningRate())
              .build();
    };
  }
}

package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.batch.PaddedSequences;
import dev.rewind.datasets.batch.Padding;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Linear;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.seq.ManyToOne;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.Batch;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Note 001's many-to-one scenario, sentiment classification (001_031092f413d1c2a5.txt): an Elman
 * network reads a "review" of any length one word at a time and only its last state is classified,
 * positive or negative. The reviews are made up from eight words, each with a score, and a review
 * is positive when its scores add up to more than 0; batches of reviews of different lengths are
 * padded and masked, with {@link ManyToOne} reading each review's own last step.
 */
public final class ManyToOneTutorial implements Tutorial {
  static final String[] WORDS = {"the", "food", "was", "service", "good", "great", "bad", "awful"};
  static final int[] SCORES = {0, 0, 0, 0, 1, 2, -1, -2};
  static final int MIN_LENGTH = 2;
  static final int MAX_LENGTH = 12;
  static final int HIDDEN = 8;
  static final int STEPS = 300;
  static final int BATCH = 32;
  static final int TEST_REVIEWS = 500;
  static final double LEARNING_RATE = 0.02;

  /** Reviews to show after training. */
  static final String[] EXAMPLES = {
    "the food was good",
    "the service was bad",
    "the food was great the service was bad",
    "the food was good the service was awful",
    "good good bad bad bad",
  };

  @Override
  public String id() {
    return "many-to-one";
  }

  @Override
  public String summary() {
    return "Note 001, many-to-one: classify reviews of any length from the last state (masks)";
  }

  @Override
  public void run(TutorialRun run) throws IOException {
    run.say("Note 001's many-to-one scenario, sentiment classification: read a whole review, such");
    run.say("as \"The food was really good\", then say positive or negative. The reviews here are");
    run.say("made of %d words, each with a score:", WORDS.length);
    StringBuilder scores = new StringBuilder();
    for (int i = 0; i < WORDS.length; i++) {
      String score = SCORES[i] == 0 ? "0" : String.format(java.util.Locale.ROOT, "%+d", SCORES[i]);
      scores.append(' ').append(WORDS[i]).append(' ').append(score);
    }
    run.say(" %s", scores);
    run.say(
        "A review of %d to %d random words is positive when its scores add up to more than 0",
        MIN_LENGTH, MAX_LENGTH);
    run.say("(reviews adding up to exactly 0 are not drawn). The answer depends on every word, so");
    run.say("the network must carry a running tally to the end.");
    run.say("");

    Random random = run.random();
    ElmanCell cell = ElmanCell.random(WORDS.length, HIDDEN, Activation.TANH, random);
    Linear readout = new Linear(HIDDEN, 1, random);
    ManyToOne<HiddenState> model = new ManyToOne<>(cell, readout);
    run.say(
        "The network: an Elman cell with %d tanh units reads one one-hot word per step; a linear",
        HIDDEN);
    run.say("readout of the state after the review's LAST word gives one logit, P(positive) =");
    run.say("sigmoid(logit). Reviews of different lengths share a batch: each is padded to the");
    run.say(
        "longest, and a mask (1 = real word, 0 = padding) tells ManyToOne where each one ends.");
    run.say(
        "Training: %d Adam steps (rate %s), %d fresh reviews each, binary cross-entropy.",
        STEPS, LEARNING_RATE, BATCH);

    Optimizer optimizer = Adam.builder(model.parameters()).learningRate(LEARNING_RATE).build();
    double[] losses =
        Trainer.builder(model, optimizer, BATCH, cell::initialState)
            .source(
                position -> {
                  Reviews reviews = Reviews.draw(BATCH, random);
                  return Batch.masked(
                      reviews.padded().values(), reviews.labels(), reviews.padded().mask());
                })
            .step(
                (batch, state, generator) -> {
                  ManyToOne.Result<HiddenState> result =
                      model.run(Var.constant(batch.inputs()), state, batch.mask());
                  Var loss = Losses.binaryCrossEntropyWithLogits(result.output(), batch.targets());
                  return StepResult.of(loss, result.finalState());
                })
            .build()
            .fit(STEPS)
            .lossArray();

    Reviews test = Reviews.draw(TEST_REVIEWS, random);
    Tensor logits = NotesTraining.evaluate(() -> logits(model, test).value());
    int right = 0;
    for (int b = 0; b < TEST_REVIEWS; b++) {
      right += (logits.get(b, 0) > 0) == (test.labels().get(b, 0) == 1) ? 1 : 0;
    }
    double accuracy = (double) right / TEST_REVIEWS;

    // The mask at work: the shortest review, read alone, gets the logit it gets in the batch.
    int shortest = 0;
    for (int b = 1; b < TEST_REVIEWS; b++) {
      if (test.words().get(b).length < test.words().get(shortest).length) {
        shortest = b;
      }
    }
    Reviews alone = Reviews.of(List.of(test.words().get(shortest)));
    double aloneLogit = NotesTraining.evaluate(() -> logits(model, alone).value().get(0, 0));
    double paddingEffect = Math.abs(aloneLogit - logits.get(shortest, 0));

    run.say("");
    run.say(
        "Training loss: %.4f at the first step, %.4f at the last (ln 2 = %.4f is a coin flip).",
        losses[0], losses[STEPS - 1], Math.log(2));
    run.say("On %d new reviews: %.1f%% classified right.", TEST_REVIEWS, 100 * accuracy);
    run.say(
        "The shortest test review has %d words, padded with %d steps of zeros in the batch; its",
        test.words().get(shortest).length,
        test.padded().maxTime() - test.words().get(shortest).length);
    run.say(
        "logit in the batch and read alone differ by %.2g: the masked steps change nothing.",
        paddingEffect);
    run.say("");
    Map<String, Double> examples = new LinkedHashMap<>();
    for (String review : EXAMPLES) {
      Reviews one = Reviews.of(List.of(encode(review)));
      double p = NotesTraining.evaluate(() -> sigmoid(logits(model, one).value().get(0, 0)));
      int score = score(encode(review));
      run.say(
          "  %-42s score %+d  P(positive) = %.3f  → %s",
          "\"" + review + "\"", score, p, p > 0.5 ? "positive" : "negative");
      examples.put(review, p);
    }

    Plots.lines(
        run.plot("learning-curve.png"),
        "Many-to-one: learning curve",
        "training step",
        "binary cross-entropy",
        false,
        List.of(
            Plots.Series.overSteps("training loss (fresh batch each step)", losses),
            Plots.Series.overSteps(
                "coin flip, ln 2", Example3TrainingTutorial.constant(STEPS, Math.log(2)))));
    run.say("");
    run.say("learning-curve.png: the loss of each training batch, falling well below a coin flip.");

    run.result("losses", losses);
    run.result("accuracy", accuracy);
    run.result("paddingEffect", paddingEffect);
    run.result("examples", examples);
  }

  private static Var logits(ManyToOne<HiddenState> model, Reviews reviews) {
    return model
        .run(Var.constant(reviews.padded().values()), null, reviews.padded().mask())
        .output();
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static int[] encode(String review) {
    String[] tokens = review.split(" ");
    int[] words = new int[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      words[i] = List.of(WORDS).indexOf(tokens[i]);
      if (words[i] < 0) {
        throw new IllegalArgumentException("no word '" + tokens[i] + "' in " + List.of(WORDS));
      }
    }
    return words;
  }

  static int score(int[] words) {
    int sum = 0;
    for (int word : words) {
      sum += SCORES[word];
    }
    return sum;
  }

  /**
   * A batch of reviews: the word indices of each, the one-hot words padded to the longest review
   * with a mask, and the labels {@code [batch, 1]} (1 positive, 0 negative).
   */
  record Reviews(List<int[]> words, PaddedSequences padded, Tensor labels) {

    /** {@code count} random reviews whose scores do not add up to 0. */
    static Reviews draw(int count, Random random) {
      List<int[]> reviews = new ArrayList<>();
      while (reviews.size() < count) {
        int[] words = new int[MIN_LENGTH + random.nextInt(MAX_LENGTH - MIN_LENGTH + 1)];
        for (int t = 0; t < words.length; t++) {
          words[t] = random.nextInt(WORDS.length);
        }
        if (score(words) != 0) {
          reviews.add(words);
        }
      }
      return of(reviews);
    }

    static Reviews of(List<int[]> reviews) {
      List<Tensor> sequences = new ArrayList<>();
      double[] labels = new double[reviews.size()];
      for (int b = 0; b < reviews.size(); b++) {
        int[] words = reviews.get(b);
        double[] oneHot = new double[words.length * WORDS.length];
        for (int t = 0; t < words.length; t++) {
          oneHot[t * WORDS.length + words[t]] = 1;
        }
        sequences.add(Tensor.of(Shape.of(words.length, WORDS.length), oneHot));
        labels[b] = score(words) > 0 ? 1 : 0;
      }
      return new Reviews(
          List.copyOf(reviews),
          Padding.pad(sequences),
          Tensor.of(Shape.of(reviews.size(), 1), labels));
    }
  }
}

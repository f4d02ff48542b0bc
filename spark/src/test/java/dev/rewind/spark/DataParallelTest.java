package dev.rewind.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Rprop;
import dev.rewind.optim.RpropVariant;
import dev.rewind.spark.demo.TextModel;
import dev.rewind.spark.demo.WindowLoss;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataParallelTest {
  private static final Corpus TEXT = DefaultCorpus.corpus().slice(0, 3_000, "the first 3,000");
  private static final Vocabulary VOCABULARY = Vocabulary.of(DefaultCorpus.corpus());
  private static final List<int[]> WINDOWS = WindowLoss.windows(TEXT, VOCABULARY, 12);
  private static final WindowLoss LOSS = new WindowLoss();
  private static final int SHARD_SIZE = 16;

  private static JavaSparkContext spark;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("local[2]");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** The user's own cell, the minimal gated unit, in a character model. */
  private static Layer model() {
    return TextModel.create("mgu", VOCABULARY.size(), 4, 8, new Random(7));
  }

  private static DataParallel<int[]> run(int partitions) {
    return DataParallel.builder(spark, DataParallelTest::model, LOSS)
        .sequences(WINDOWS)
        .shardSize(SHARD_SIZE)
        .partitions(partitions)
        .build();
  }

  private static void assertSameBits(ParameterGradients expected, ParameterGradients actual) {
    assertEquals(expected.loss().orElseThrow(), actual.loss().orElseThrow(), 0.0, "loss");
    for (int p = 0; p < expected.parameters().size(); p++) {
      Parameter parameter = expected.parameters().get(p);
      assertArrayEquals(
          expected.tensor(parameter).toArray(),
          actual.tensor(actual.parameters().get(p)).toArray(),
          0.0,
          parameter.name());
    }
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 2, 4})
  void gradientsEqualTheSingleProcessGradientsBitForBit(int partitions) {
    Layer model = model();
    ParameterGradients local = ShardGradients.compute(model, LOSS, WINDOWS, SHARD_SIZE);
    try (DataParallel<int[]> run = run(partitions)) {
      assertEquals(partitions, run.partitions());
      assertSameBits(local, run.gradient(model));
    }
  }

  @Test
  void aFloat32ModelGetsFloat32GradientsEqualToTheSingleProcessOnesBitForBit() {
    Layer model = model().to(DType.FLOAT32);
    ParameterGradients local = ShardGradients.compute(model, LOSS, WINDOWS, SHARD_SIZE);
    try (DataParallel<int[]> run = run(2)) {
      ParameterGradients sharded = run.gradient(model);
      assertSameBits(local, sharded);
      for (Parameter parameter : sharded.parameters()) {
        assertEquals(DType.FLOAT32, sharded.tensor(parameter).dtype(), parameter.name());
      }
    }
  }

  @Test
  void sequencesReadAsAnRddGiveTheSameBits() {
    Layer model = model();
    ParameterGradients local = ShardGradients.compute(model, LOSS, WINDOWS, SHARD_SIZE);
    try (DataParallel<int[]> run =
        DataParallel.builder(spark, DataParallelTest::model, LOSS)
            .sequences(spark.parallelize(WINDOWS, 3))
            .shardSize(SHARD_SIZE)
            .partitions(4)
            .build()) {
      assertEquals(WINDOWS.size(), run.sequences());
      assertSameBits(local, run.gradient(model));
    }
  }

  @Test
  void gradientsAreWithin1e12OfOneTapeOverTheWholeBatch() {
    Layer model = model();
    ParameterGradients sharded = ShardGradients.compute(model, LOSS, WINDOWS, SHARD_SIZE);
    double largest = 0;
    try (Tape tape = Tape.record()) {
      Var whole = LOSS.loss(model, WINDOWS);
      ParameterGradients single = ParameterGradients.from(tape.gradient(whole, model.parameters()));
      assertEquals(whole.value().item(), sharded.loss().orElseThrow(), 1e-12);
      for (Parameter parameter : model.parameters()) {
        double[] a = single.tensor(parameter).toArray();
        double[] b = sharded.tensor(parameter).toArray();
        for (int i = 0; i < a.length; i++) {
          largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
      }
    }
    assertTrue(largest <= 1e-12, "max |whole batch - sharded| = " + largest);
  }

  @Test
  void thirtyRpropStepsOnTwoPartitionsEqualThirtyOnOneProcess() {
    Layer alone = model();
    Optimizer rpropAlone = Rprop.builder(RpropVariant.IRPROP_PLUS, alone.namedParameters()).build();
    for (int step = 0; step < 30; step++) {
      rpropAlone.step(ShardGradients.compute(alone, LOSS, WINDOWS, SHARD_SIZE));
    }
    Layer distributed = model();
    Optimizer rprop =
        Rprop.builder(RpropVariant.IRPROP_PLUS, distributed.namedParameters()).build();
    try (DataParallel<int[]> run = run(2)) {
      List<Double> losses = run.fit(distributed, rprop, 30);
      assertEquals(30, losses.size());
      assertTrue(losses.get(29) < losses.get(0), "the loss fell: " + losses);
    }
    for (int p = 0; p < alone.parameters().size(); p++) {
      assertArrayEquals(
          alone.parameters().get(p).value().toArray(),
          distributed.parameters().get(p).value().toArray(),
          0.0,
          alone.parameters().get(p).name());
    }
  }

  @Test
  void aModelOtherThanTheFactorysIsRefusedOnTheDriver() {
    Layer other = TextModel.create("gru", VOCABULARY.size(), 4, 8, new Random(7));
    try (DataParallel<int[]> run = run(2)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> run.gradient(other));
      assertTrue(e.getMessage().startsWith("data-parallel: the model"), e.getMessage());
    }
  }
}

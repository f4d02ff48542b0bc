package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.internal.ComputePool;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.autodiff.tensor.ThreadCounts;
import dev.rewind.layers.Linear;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.ParameterGradients;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel gradients over a batch's rows: the same bits on any number of threads, the batch's
 * mean-loss gradient up to rounding, and the plain tape's bits when there is one shard.
 */
class BatchShardsTest {
  private static final int INPUTS = 3;
  private static final int HIDDEN = 5;
  private static final int STEPS = 4;

  /** An LSTM and a readout at every step, its data, and the mean squared error over rows. */
  private record Model(ManyToMany<LstmState> network, Batch batch) {
    static Model of(int rows, long seed, DType dtype) {
      Random random = new Random(seed);
      ManyToMany<LstmState> network =
          new ManyToMany<>(LstmCell.random(INPUTS, HIDDEN, random), new Linear(HIDDEN, 2, random));
      network.to(dtype);
      Batch batch =
          Batch.of(
                  Tensor.randomNormal(Shape.of(rows, STEPS, INPUTS), 0, 1, random),
                  Tensor.randomNormal(Shape.of(rows, STEPS, 2), 0, 1, random))
              .to(dtype);
      return new Model(network, batch);
    }

    Var meanLoss(Batch rows) {
      Var outputs = network.run(Var.constant(rows.inputs())).stacked();
      return Losses.meanSquaredError(outputs, Var.constant(rows.targets()));
    }

    List<Parameter> parameters() {
      return network.parameters();
    }

    ParameterGradients sharded(BatchShards shards) {
      return shards.gradient(
          parameters(), batch.size(), (from, to) -> meanLoss(batch.rows(from, to)));
    }

    ParameterGradients plain() {
      try (Tape tape = Tape.record()) {
        Var loss = meanLoss(batch);
        return ParameterGradients.from(tape.gradient(loss, parameters()))
            .withLoss(loss.value().item());
      }
    }
  }

  private static void assertSameBits(ParameterGradients expected, ParameterGradients actual) {
    assertEquals(expected.parameters(), actual.parameters());
    for (Parameter p : expected.parameters()) {
      assertEquals(expected.tensor(p).dtype(), actual.tensor(p).dtype(), p.name());
      assertArrayEquals(expected.tensor(p).toArray(), actual.tensor(p).toArray(), p.name());
    }
    assertEquals(expected.loss(), actual.loss());
  }

  @Property(tries = 25)
  void theGradientHasTheSameBitsOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 1, max = 9) int rows,
      @ForAll @IntRange(min = 1, max = 4) int rowsPerShard,
      @ForAll @IntRange(min = 0, max = 1000) int seed,
      @ForAll DType dtype) {
    Model model = Model.of(rows, seed, dtype);
    BatchShards shards = BatchShards.ofRows(rowsPerShard);

    ParameterGradients one = ThreadCounts.on(1, () -> model.sharded(shards));
    long handedOver = ComputePool.sharedCalls();
    ParameterGradients two = ThreadCounts.on(2, () -> model.sharded(shards));
    ParameterGradients three = ThreadCounts.on(3, () -> model.sharded(shards));

    assertSameBits(one, two);
    assertSameBits(one, three);
    if (shards.count(rows) > 1) {
      assertTrue(ComputePool.sharedCalls() > handedOver, "the shards went to other threads");
    }
  }

  @Property(tries = 25)
  void theShardsAddUpToTheWholeBatchsMeanLossAndItsGradient(
      @ForAll @IntRange(min = 2, max = 9) int rows,
      @ForAll @IntRange(min = 1, max = 4) int rowsPerShard,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    Model model = Model.of(rows, seed, DType.FLOAT64);

    ParameterGradients sharded =
        ThreadCounts.on(2, () -> model.sharded(BatchShards.ofRows(rowsPerShard)));
    ParameterGradients plain = model.plain();

    assertEquals(plain.loss().getAsDouble(), sharded.loss().getAsDouble(), 1e-14);
    for (Parameter p : plain.parameters()) {
      double[] expected = plain.tensor(p).toArray();
      double[] actual = sharded.tensor(p).toArray();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(
            expected[i], actual[i], 1e-14 * (1 + Math.abs(expected[i])), p.name() + "[" + i + "]");
      }
    }
  }

  @Test
  void oneShardIsThePlainTapesGradientToTheBit() {
    Model model = Model.of(6, 7, DType.FLOAT64);

    assertSameBits(model.plain(), ThreadCounts.on(2, () -> model.sharded(BatchShards.ofRows(6))));
  }

  @Test
  void aFloat32ModelGetsFloat32GradientsCloseToTheFloat64Ones() {
    // The same seed draws the same weights and data; float32 rounds them.
    Model float32 = Model.of(8, 3, DType.FLOAT32);
    Model float64 = Model.of(8, 3, DType.FLOAT64);
    BatchShards shards = BatchShards.ofRows(3);

    ParameterGradients single = ThreadCounts.on(2, () -> float32.sharded(shards));
    ParameterGradients wide = ThreadCounts.on(2, () -> float64.sharded(shards));

    for (int i = 0; i < float32.parameters().size(); i++) {
      Parameter p = float32.parameters().get(i);
      assertEquals(DType.FLOAT32, single.tensor(p).dtype(), p.name());
      double[] actual = single.tensor(p).toArray();
      double[] expected = wide.tensor(float64.parameters().get(i)).toArray();
      for (int j = 0; j < expected.length; j++) {
        assertEquals(
            expected[j], actual[j], 1e-5 * (1 + Math.abs(expected[j])), p.name() + "[" + j + "]");
      }
    }
    assertEquals(wide.loss().getAsDouble(), single.loss().getAsDouble(), 1e-6);
  }

  @Test
  void theShardsOfABatchAreFixedByItsRowsAlone() {
    BatchShards shards = BatchShards.ofRows(16);

    assertEquals(16, shards.rowsPerShard());
    assertEquals(1, shards.count(1));
    assertEquals(2, shards.count(32));
    assertEquals(3, shards.count(33));
  }

  @Test
  void badSettingsAndLossesAreRefusedNamingTheValue() {
    Model model = Model.of(4, 1, DType.FLOAT64);

    IllegalArgumentException rows =
        assertThrows(IllegalArgumentException.class, () -> BatchShards.ofRows(0));
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> BatchShards.ofRows(2).count(0));
    IllegalArgumentException notScalar =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BatchShards.ofRows(2)
                    .gradient(
                        model.parameters(),
                        4,
                        (from, to) ->
                            model
                                .network()
                                .run(Var.constant(model.batch().rows(from, to).inputs()))
                                .stacked()));
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                ThreadCounts.on(
                    2,
                    () ->
                        BatchShards.ofRows(2)
                            .gradient(
                                model.parameters(),
                                4,
                                (from, to) -> {
                                  throw new IllegalStateException("shard at row " + from);
                                })));

    assertEquals("batch shards: 0 rows per shard; need at least 1", rows.getMessage());
    assertEquals("batch shards: a batch of 0 rows; need at least 1", empty.getMessage());
    assertTrue(
        notScalar
            .getMessage()
            .matches("gradient tree: the loss of shard [01] has shape \\[2, 4, 2\\], not a scalar"),
        notScalar.getMessage());
    assertTrue(thrown.getMessage().startsWith("shard at row "), thrown.getMessage());
  }
}

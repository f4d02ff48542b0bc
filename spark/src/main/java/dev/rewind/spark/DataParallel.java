package dev.rewind.spark;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.Iterators;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.train.GradientTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ObjDoubleConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Exact data-parallel training on Spark: the training sequences are cut into fixed shards spread
 * over the partitions; every step broadcasts the driver's parameters, each partition differentiates
 * its shards' loss on tapes, {@code treeAggregate} sums the gradients in the fixed order of a
 * {@link GradientTree} over the shards, and the driver steps the optimizer.
 *
 * <pre>{@code
 * DataParallel<int[]> run =
 *     DataParallel.builder(spark, () -> newModel(), (model, sequences) -> meanLoss(model, sequences))
 *         .sequences(windows)        // a List<T> or a JavaRDD<T>
 *         .shardSize(16)             // the unit of summation: fixes the result
 *         .partitions(4)             // the unit of work: does not change it
 *         .build();
 * List<Double> losses = run.fit(model, Rprop.builder(model.namedParameters()).build(), 30);
 * }</pre>
 *
 * <p>The gradient is that of the mean loss over every sequence (full-batch training, the regime
 * Rprop was made for). It depends on the shard size but not on the number of partitions or
 * executors, nor on the order tasks finish in: it equals {@link ShardGradients#compute} on one
 * machine bit for bit, and so does every optimizer step, for any optimizer. It differs from one
 * tape over the whole batch only by rounding (the sums are grouped by shard): within 1e-12.
 *
 * <p>Every random number must come from the data: a model whose dropout draws on the executors
 * draws other numbers than on one machine.
 *
 * @param <T> a training sequence, serializable
 */
public final class DataParallel<T> implements AutoCloseable {
  private final JavaSparkContext spark;
  private final LayerFactory factory;
  private final SequenceLoss<T> loss;
  private final JavaRDD<Shard<T>> shards;
  private final long shardCount;
  private final long sequenceCount;
  private final int depth;
  private final ParameterValues expected;

  private DataParallel(Builder<T> builder, JavaRDD<Shard<T>> shards, long shardCount, long count) {
    this.spark = builder.spark;
    this.factory = builder.factory;
    this.loss = builder.loss;
    this.shards = shards;
    this.shardCount = shardCount;
    this.sequenceCount = count;
    this.depth = builder.depth;
    // The executors' model, built once here, so that a factory that does not build the driver's
    // architecture fails at the first step, on the driver, naming the difference.
    this.expected = ParameterValues.of(factory.create());
  }

  /**
   * A run that builds its executors' models with {@code factory} and differentiates {@code loss};
   * give it the {@link Builder#sequences}.
   */
  public static <T> Builder<T> builder(
      JavaSparkContext spark, LayerFactory factory, SequenceLoss<T> loss) {
    return new Builder<>(spark, factory, loss);
  }

  /**
   * The gradient of the mean loss over all sequences at {@code model}'s parameters, with the loss:
   * one Spark job.
   *
   * @throws IllegalArgumentException if {@code model}'s parameters are not those the factory builds
   *     (by name, shape and order), before anything is sent
   */
  public ParameterGradients gradient(Layer model) {
    ParameterValues values = ParameterValues.of(model);
    expected.requireSameParameters(model, "data-parallel");
    Broadcast<ParameterValues> weights = spark.broadcast(values);
    // Locals, not fields: the closures below go to the executors without this object.
    LayerFactory build = factory;
    SequenceLoss<T> shardLoss = loss;
    long total = sequenceCount;
    try {
      GradientTree tree =
          shards
              .mapPartitions(
                  partition -> {
                    Layer replica = build.create();
                    weights.value().loadInto(replica);
                    return Iterators.singletonIterator(
                        ShardGradients.leaves(replica, shardLoss, partition, total));
                  })
              .treeAggregate(GradientTree.empty(), GradientTree::merge, GradientTree::merge, depth);
      return tree.total(shardCount).toGradients(model.parameters());
    } finally {
      weights.destroy();
    }
  }

  /**
   * Takes {@code steps} full-batch steps of {@code optimizer} on {@code model} and returns the loss
   * before each.
   */
  @CanIgnoreReturnValue
  public ImmutableList<Double> fit(Layer model, Optimizer optimizer, int steps) {
    return fit(model, optimizer, steps, (step, loss) -> {});
  }

  /** As {@link #fit(Layer, Optimizer, int)}, telling {@code listener} each step and its loss. */
  @CanIgnoreReturnValue
  public ImmutableList<Double> fit(
      Layer model, Optimizer optimizer, int steps, ObjDoubleConsumer<Long> listener) {
    checkArgument(steps >= 0, "data-parallel: the step count %s is negative", steps);
    List<Double> losses = new ArrayList<>(steps);
    for (int step = 1; step <= steps; step++) {
      ParameterGradients gradients = gradient(model);
      double before = gradients.loss().orElseThrow();
      optimizer.step(gradients);
      losses.add(before);
      listener.accept((long) step, before);
    }
    return ImmutableList.copyOf(losses);
  }

  /** The number of training sequences. */
  public long sequences() {
    return sequenceCount;
  }

  /** The number of shards: the sequences over the shard size, rounded up. */
  public long shards() {
    return shardCount;
  }

  /** The number of partitions the shards are spread over. */
  public int partitions() {
    return shards.getNumPartitions();
  }

  /** Drops the cached shards from the executors. */
  @Override
  public void close() {
    shards.unpersist(false);
  }

  /**
   * What a data-parallel run trains on, and how it is cut.
   *
   * @param <T> a training sequence
   */
  public static final class Builder<T> {
    private final JavaSparkContext spark;
    private final LayerFactory factory;
    private final SequenceLoss<T> loss;
    private List<T> list;
    private JavaRDD<T> rdd;
    private int shardSize = 16;
    private int partitions;
    private int depth = 2;

    private Builder(JavaSparkContext spark, LayerFactory factory, SequenceLoss<T> loss) {
      checkArgument(spark != null, "data-parallel: no Spark context");
      checkArgument(factory != null, "data-parallel: no model factory");
      checkArgument(loss != null, "data-parallel: no loss");
      this.spark = spark;
      this.factory = factory;
      this.loss = loss;
      this.partitions = spark.defaultParallelism();
    }

    /** The training sequences, held by the driver and sent to the executors once. */
    @CanIgnoreReturnValue
    public Builder<T> sequences(List<T> sequences) {
      checkArgument(sequences != null, "data-parallel: the sequences are null");
      this.list = ImmutableList.copyOf(sequences);
      this.rdd = null;
      return this;
    }

    /**
     * The training sequences as an RDD the executors read (a corpus too large for the driver):
     * numbered in the RDD's order, which must be the same on every evaluation (a file's lines are).
     */
    @CanIgnoreReturnValue
    public Builder<T> sequences(JavaRDD<T> sequences) {
      checkArgument(sequences != null, "data-parallel: the sequences are null");
      this.rdd = sequences;
      this.list = null;
      return this;
    }

    /**
     * The number of sequences differentiated on one tape ({@code 16} by default): the unit of the
     * fixed summation, so the result depends on it. The last shard may hold fewer.
     */
    @CanIgnoreReturnValue
    public Builder<T> shardSize(int size) {
      checkArgument(size >= 1, "data-parallel: shard size %s must be positive", size);
      this.shardSize = size;
      return this;
    }

    /**
     * The number of partitions the shards are spread over (Spark's default parallelism by default);
     * at most the number of shards is used.
     */
    @CanIgnoreReturnValue
    public Builder<T> partitions(int count) {
      checkArgument(count >= 1, "data-parallel: partition count %s must be positive", count);
      this.partitions = count;
      return this;
    }

    /** The depth of Spark's aggregation tree (2 by default); it never changes the result. */
    @CanIgnoreReturnValue
    public Builder<T> treeDepth(int depth) {
      checkArgument(depth >= 1, "data-parallel: tree depth %s must be positive", depth);
      this.depth = depth;
      return this;
    }

    /** Cuts the sequences into shards, spreads and caches them. */
    public DataParallel<T> build() {
      checkArgument(list != null || rdd != null, "data-parallel: no training sequences given");
      if (list != null) {
        checkArgument(!list.isEmpty(), "data-parallel: no training sequences given");
        List<Shard<T>> cut = Shard.cut(list, shardSize);
        int used = Math.min(partitions, cut.size());
        // parallelize keeps the list's order and gives each partition consecutive shards.
        JavaRDD<Shard<T>> shards = spark.parallelize(cut, used).cache();
        return new DataParallel<>(this, shards, cut.size(), list.size());
      }
      return fromRdd();
    }

    private DataParallel<T> fromRdd() {
      long count = rdd.count();
      checkArgument(count > 0, "data-parallel: no training sequences given");
      int size = shardSize;
      long shardCount = (count + size - 1) / size;
      int used = (int) Math.min(partitions, shardCount);
      JavaRDD<Shard<T>> shards =
          rdd.zipWithIndex()
              .mapToPair(pair -> new Tuple2<>(pair._2() / size, new Tuple2<>(pair._2(), pair._1())))
              .groupByKey(new ShardRanges(shardCount, used))
              .map(
                  group -> {
                    List<Tuple2<Long, T>> numbered = new ArrayList<>();
                    group._2().forEach(numbered::add);
                    numbered.sort(Comparator.comparing(Tuple2::_1));
                    return new Shard<>(group._1(), numbered.stream().map(Tuple2::_2).toList());
                  })
              .cache();
      return new DataParallel<>(this, shards, shardCount, count);
    }
  }
}

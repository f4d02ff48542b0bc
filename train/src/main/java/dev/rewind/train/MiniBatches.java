package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;

/**
 * A {@link BatchSource} of shuffled mini-batches over a whole dataset held in memory: {@code n}
 * sequences as inputs {@code [n, time, features]} (or token indices {@code [n, time]}), targets
 * {@code [n, ...]} and an optional mask {@code [n, time]}. Each epoch visits the rows in a fresh
 * random order, cut into batches of {@code batchSize}; every batch starts new sequences.
 *
 * <p>The order of epoch {@code e} is drawn from a generator seeded with a mix of the seed and
 * {@code e}, so {@link #batch(long)} is a function of the position alone: a run resumed from a
 * checkpoint reads the same batches as one that was never interrupted.
 *
 * <p>When {@code n} is not a multiple of the batch size the last, short batch of each epoch is
 * dropped by default, as PyTorch's {@code DataLoader(drop_last=True)} does; {@link #keepLast()}
 * keeps it instead. A {@link Trainer} needs the default: its initial state is for batches of one
 * size.
 *
 * <pre>{@code
 * BatchSource source = MiniBatches.of(inputs, targets, 32, 42L);
 * Trainer<LstmState> trainer = Trainer.builder(model, optimizer, 32, cell::initialState)
 *     .source(source).step(step).build();
 * }</pre>
 */
public final class MiniBatches implements BatchSource {
  private final Tensor inputs;
  private final Tensor targets;
  private final Tensor mask;
  private final int batchSize;
  private final long seed;
  private final boolean dropLast;
  // The most recently used epoch's order: batches are read in order, so it is usually the next one.
  private volatile EpochOrder cached;

  private record EpochOrder(long epoch, int[] rows) {}

  private MiniBatches(
      Tensor inputs, Tensor targets, Tensor mask, int batchSize, long seed, boolean dropLast) {
    this.inputs = inputs;
    this.targets = targets;
    this.mask = mask;
    this.batchSize = batchSize;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /**
   * Shuffled batches of {@code batchSize} rows of {@code inputs} and {@code targets}, every step
   * real, the last short batch of an epoch dropped.
   *
   * @throws IllegalArgumentException if the inputs are not {@code [n, time, ...]}, the targets do
   *     not have {@code n} rows, or {@code batchSize} is not in {@code [1, n]}
   */
  public static MiniBatches of(Tensor inputs, Tensor targets, int batchSize, long seed) {
    return masked(inputs, targets, null, batchSize, seed);
  }

  /**
   * As {@link #of}, with a mask {@code [n, time]} of 1 (real step) and 0 (padding), or null when
   * every step is real.
   */
  public static MiniBatches masked(
      Tensor inputs, Tensor targets, Tensor mask, int batchSize, long seed) {
    checkArgument(inputs != null, "miniBatches: the inputs are null");
    checkArgument(targets != null, "miniBatches: the targets are null");
    checkArgument(
        inputs.rank() >= 2 && inputs.shape().dim(0) >= 1 && inputs.shape().dim(1) >= 1,
        "miniBatches: inputs must be [n, time, ...] with at least one row and one step, but have"
            + " shape %s",
        inputs.shape());
    int n = inputs.shape().dim(0);
    checkArgument(
        targets.rank() >= 1 && targets.shape().dim(0) == n,
        "miniBatches: inputs have %s rows but targets have %s (inputs %s, targets %s)",
        n,
        targets.rank() == 0 ? 0 : targets.shape().dim(0),
        inputs.shape(),
        targets.shape());
    checkArgument(
        mask == null || mask.shape().equals(Shape.of(n, inputs.shape().dim(1))),
        "miniBatches: mask %s does not fit inputs %s: expected [%s, %s]",
        mask == null ? null : mask.shape(),
        inputs.shape(),
        n,
        inputs.shape().dim(1));
    checkArgument(
        batchSize >= 1 && batchSize <= n,
        "miniBatches: batch size %s is outside [1, %s], the number of rows",
        batchSize,
        n);
    return new MiniBatches(inputs, targets, mask, batchSize, seed, true);
  }

  /**
   * These batches with each epoch's last, short batch kept (PyTorch's {@code drop_last=False}):
   * every row is visited once per epoch. Unchanged when {@code n} is a multiple of the batch size.
   */
  public MiniBatches keepLast() {
    return new MiniBatches(inputs, targets, mask, batchSize, seed, false);
  }

  /** Whether each epoch's last, short batch is dropped (the default). */
  public boolean dropsLast() {
    return dropLast;
  }

  /** The number of rows, {@code n}. */
  public int rows() {
    return inputs.shape().dim(0);
  }

  /** The size of every batch but, when kept, the last of an epoch. */
  public int batchSize() {
    return batchSize;
  }

  /** The number of batches, hence of positions, in one epoch. */
  public int batchesPerEpoch() {
    int n = rows();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /**
   * The rows of the dataset that make up the batch at {@code position}, in batch order: positions
   * {@code e * batchesPerEpoch()} onwards read epoch {@code e}'s permutation of {@code 0..n-1}.
   */
  public int[] rowsAt(long position) {
    checkArgument(position >= 0, "miniBatches: position %s is negative", position);
    long epoch = position / batchesPerEpoch();
    int start = (int) (position % batchesPerEpoch()) * batchSize;
    int end = Math.min(start + batchSize, rows());
    int[] order = order(epoch);
    int[] rows = new int[end - start];
    System.arraycopy(order, start, rows, 0, rows.length);
    return rows;
  }

  /** The rows {@link #rowsAt} names, gathered from the inputs, the targets and the mask. */
  @Override
  public Batch batch(long position) {
    int[] rows = rowsAt(position);
    return Batch.masked(
        Layout.gatherRows(inputs, rows),
        Layout.gatherRows(targets, rows),
        mask == null ? null : Layout.gatherRows(mask, rows));
  }

  /** Epoch {@code epoch}'s permutation of the rows: a Fisher–Yates shuffle. */
  private int[] order(long epoch) {
    EpochOrder last = cached;
    if (last != null && last.epoch() == epoch) {
      return last.rows();
    }
    int[] rows = new int[rows()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    Random random = new Random(mix(seed, epoch));
    for (int i = rows.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = rows[i];
      rows[i] = rows[j];
      rows[j] = swap;
    }
    cached = new EpochOrder(epoch, rows);
    return rows;
  }

  /**
   * The generator seed of an epoch: SplitMix64's finalizer of the seed and the epoch, so that
   * neighbouring epochs (and seeds) get unrelated orders.
   */
  private static long mix(long seed, long epoch) {
    long z = seed ^ (epoch * 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

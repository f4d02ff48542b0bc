package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkState;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the kernels' result arrays come from: the heap, or, while a {@link Loan} is lending on the
 * thread, the arrays an earlier loan of the thread gave back. A training loop that records the same
 * shapes every step then reaches a steady state in which its activations and gradients reuse last
 * step's arrays instead of growing the heap with fresh ones.
 *
 * <p>A loan belongs to one tape (see {@code Tape.recordRecycling}); it records every array it lends
 * and, when the tape closes, takes back those the tape proves unreachable: {@link Loan#giveBack}
 * keeps every array of a tensor it is told is still in use. During the tape's backward pass it also
 * takes back each gradient's array as soon as the pass has spent it ({@link Loan#reclaim}), so that
 * the pass's later gradients reuse it. An array lent by {@link #doubles} or {@link #floats} is
 * zeroed, as a fresh one is; one lent by {@link #doublesToOverwrite} is not, and its kernel writes
 * every element before it reads any. Either way a kernel cannot tell a lent array from a fresh one,
 * and the numbers are the same bits.
 */
public final class Buffers {
  /** Shorter arrays come from the heap: a bump of the thread's allocation buffer beats a lookup. */
  static final int SHORTEST_LENT = 64;

  private static final ThreadLocal<Buffers> OF_THREAD = ThreadLocal.withInitial(Buffers::new);
  // NOTE: counts the threads with a loan lending, so that a kernel on a thread without one reads
  // one field and allocates, never touching the thread-local state.
  private static final AtomicInteger LENDING_THREADS = new AtomicInteger();

  // NOTE: softly reachable, so that a thread that has stopped training gives its last step's
  // arrays to the collector when memory runs short instead of keeping them for good.
  private SoftReference<FreeArrays> free = new SoftReference<>(new FreeArrays());
  private Loan lending;
  private int depth;
  // How many arrays the thread's last loan lent: the next one's list starts that long.
  private int lastLent;
  // While a loan's backward pass reclaims: the arrays lent since the pass began and not reclaimed,
  // the only ones it takes back (what the forward pass computed stays out of reach). The thread's,
  // so that each pass finds it at the size the passes before it grew it to.
  private final Set<Object> reclaimable = Collections.newSetFromMap(new IdentityHashMap<>());

  private Buffers() {}

  /** A zeroed {@code double[length]}: lent by the thread's loan if one is lending, else new. */
  public static double[] doubles(int length) {
    return (double[]) array(false, length, true);
  }

  /**
   * A {@code double[length]} whose contents are undefined, for a kernel that writes every element
   * before it reads any: a lent array is not zeroed first, which a fresh one from the heap always
   * is.
   */
  public static double[] doublesToOverwrite(int length) {
    return (double[]) array(false, length, false);
  }

  /** A zeroed {@code float[length]}, as {@link #doubles}. */
  public static float[] floats(int length) {
    return (float[]) array(true, length, true);
  }

  /** A {@code float[length]} to overwrite, as {@link #doublesToOverwrite}. */
  public static float[] floatsToOverwrite(int length) {
    return (float[]) array(true, length, false);
  }

  private static Object array(boolean isFloat, int length, boolean zeroed) {
    if (LENDING_THREADS.get() == 0 || length < SHORTEST_LENT) {
      return isFloat ? new float[length] : new double[length];
    }
    return OF_THREAD.get().lend(isFloat, length, zeroed);
  }

  /**
   * An array of that type and length, zeroed if {@code zeroed} (else as a previous step left it),
   * recorded by the lending loan if there is one.
   */
  private Object lend(boolean isFloat, int length, boolean zeroed) {
    if (depth == 0) {
      return isFloat ? new float[length] : new double[length];
    }
    FreeArrays free = freeArrays();
    Object array = free.take(isFloat, length);
    boolean listed = free.tookReclaimed;
    if (array == null) {
      array = isFloat ? new float[length] : new double[length];
    } else if (zeroed && isFloat) {
      Arrays.fill((float[]) array, 0f);
    } else if (zeroed) {
      Arrays.fill((double[]) array, 0.0);
    }
    lending.record(array, listed);
    return array;
  }

  private FreeArrays freeArrays() {
    FreeArrays arrays = free.get();
    if (arrays == null) {
      arrays = new FreeArrays();
      free = new SoftReference<>(arrays);
    }
    return arrays;
  }

  /**
   * The arrays a thread's last loan gave back, in one pile per type and length, and those its
   * lending loan has reclaimed since, on top of their piles. A step uses a handful of lengths, so a
   * scan of the piles finds one faster than a map keyed by boxed lengths.
   */
  private static final class FreeArrays {
    private final List<ArrayDeque<Object>> piles = new ArrayList<>();
    private int[] lengths = new int[16];
    private boolean[] floats = new boolean[16];
    // How many arrays on top of each pile the lending loan reclaimed (and listed when it lent
    // them).
    private int[] reclaimedOnTop = new int[16];
    // Whether the last take returned a reclaimed array.
    boolean tookReclaimed;

    /** An array of that type and length, or null if none is free. */
    Object take(boolean isFloat, int length) {
      int pile = find(isFloat, length);
      tookReclaimed = pile >= 0 && reclaimedOnTop[pile] > 0;
      if (tookReclaimed) {
        reclaimedOnTop[pile]--;
      }
      return pile < 0 ? null : piles.get(pile).pollLast();
    }

    /** Puts {@code array} on top of its pile, as one the lending loan reclaimed. */
    void putReclaimed(Object array) {
      int length = array instanceof double[] doubles ? doubles.length : ((float[]) array).length;
      int pile = put(array instanceof float[], length, array);
      reclaimedOnTop[pile]++;
    }

    /** Puts {@code array} on its pile; returns the pile's index. */
    @CanIgnoreReturnValue
    int put(boolean isFloat, int length, Object array) {
      int pile = find(isFloat, length);
      if (pile < 0) {
        pile = piles.size();
        if (pile == lengths.length) {
          lengths = Arrays.copyOf(lengths, 2 * pile);
          floats = Arrays.copyOf(floats, 2 * pile);
          reclaimedOnTop = Arrays.copyOf(reclaimedOnTop, 2 * pile);
        }
        lengths[pile] = length;
        floats[pile] = isFloat;
        piles.add(new ArrayDeque<>());
      }
      piles.get(pile).addLast(array);
      return pile;
    }

    void clear() {
      for (ArrayDeque<Object> pile : piles) {
        pile.clear();
      }
      forgetReclaimed();
    }

    /** Counts the reclaimed arrays as any free array: a loan that did not list them takes them. */
    void forgetReclaimed() {
      Arrays.fill(reclaimedOnTop, 0);
    }

    private int find(boolean isFloat, int length) {
      for (int pile = 0; pile < piles.size(); pile++) {
        if (lengths[pile] == length && floats[pile] == isFloat) {
          return pile;
        }
      }
      return -1;
    }
  }

  /**
   * Stops this thread's lending, if it lends, until {@link #resumeLending} with what this returns:
   * for work whose arrays must die with it, such as a recomputed segment of a checkpointed unroll,
   * whose values a loan would otherwise keep until its tape closes.
   */
  public static Suspension suspendLending() {
    Buffers buffers = OF_THREAD.get();
    Suspension suspension = new Suspension(buffers.lending, buffers.depth);
    if (buffers.depth > 0) {
      buffers.depth = 0;
      buffers.lending = null;
      LENDING_THREADS.decrementAndGet();
    }
    return suspension;
  }

  /** Lends again as before the {@link #suspendLending} that returned {@code suspension}. */
  public static void resumeLending(Suspension suspension) {
    if (suspension.depth > 0) {
      Buffers buffers = OF_THREAD.get();
      checkState(buffers.depth == 0, "buffers: a loan still lends where a suspended one resumes");
      buffers.lending = suspension.loan;
      buffers.depth = suspension.depth;
      LENDING_THREADS.incrementAndGet();
    }
  }

  /** The lending a {@link #suspendLending} stopped: which loan, and how deeply nested. */
  public record Suspension(Loan loan, int depth) {}

  /** The array that holds {@code tensor}'s elements: the same for tensors that share it. */
  public static Object arrayOf(Tensor tensor) {
    return InUse.arrayOf(tensor);
  }

  /** A new loan of this thread's arrays; it lends only between {@link Loan#start} and stop. */
  public static Loan newLoan() {
    return new Loan(OF_THREAD.get());
  }

  /**
   * The arrays lent to one tape. It lends on the thread that made it, between {@link #start} and
   * {@link #stop} (which nest); one loan of a thread lends at a time.
   */
  public static final class Loan {
    private final Buffers buffers;
    private final List<Object> lent;
    private boolean reclaiming;

    private Loan(Buffers buffers) {
      this.buffers = buffers;
      this.lent = new ArrayList<>(buffers.lastLent);
    }

    /** Lends until the matching {@link #stop}. */
    public void start() {
      // One tape of a thread lends at a time (Tape lends only while it alone records), so the
      // loans of a thread never interleave.
      checkState(
          buffers.depth == 0 || buffers.lending == this, "buffers: two tapes lend on one thread");
      if (buffers.depth++ == 0) {
        buffers.lending = this;
        LENDING_THREADS.incrementAndGet();
      }
    }

    /** Ends the matching {@link #start}. */
    public void stop() {
      if (--buffers.depth == 0) {
        buffers.lending = null;
        LENDING_THREADS.decrementAndGet();
      }
    }

    /** Lists {@code array} as lent, unless it was {@code listed} before it was reclaimed. */
    private void record(Object array, boolean listed) {
      if (!listed) {
        lent.add(array);
      }
      if (reclaiming) {
        buffers.reclaimable.add(array);
      }
    }

    /**
     * From now until {@link #stopReclaiming}, {@link #reclaim} may take back what this loan lends:
     * for a backward pass, whose gradients are spent as it goes.
     */
    public void startReclaiming() {
      reclaiming = true;
    }

    /** Ends {@link #startReclaiming}: what the pass lent and did not reclaim waits for giveBack. */
    public void stopReclaiming() {
      reclaiming = false;
      buffers.reclaimable.clear();
    }

    /**
     * Gives {@code array} (a tensor's, {@link Buffers#arrayOf}) back to the thread at once, for the
     * next array of its length to reuse, if this loan lent it since {@link #startReclaiming} and it
     * was neither reclaimed nor {@link #keep kept}: the caller proves that nothing reads it again.
     */
    public void reclaim(Object array) {
      if (reclaiming && buffers.reclaimable.remove(array)) {
        buffers.freeArrays().putReclaimed(array);
      }
    }

    /**
     * Never reclaims {@code array} (a tensor's, {@link Buffers#arrayOf}): it is read, or may be.
     */
    public void keep(Object array) {
      if (reclaiming) {
        buffers.reclaimable.remove(array);
      }
    }

    /**
     * Takes back every array lent since the last call but those {@code inUse} holds, and forgets
     * the free arrays this loan did not reuse, so that a thread keeps about one step's arrays.
     */
    public void giveBack(InUse inUse) {
      FreeArrays free = buffers.freeArrays();
      free.clear();
      // NOTE: the list holds no array twice: a free array leaves the piles when lent, and comes
      // back only here or through reclaim, whose arrays are not listed again when lent again.
      for (Object array : lent) {
        if (!inUse.arrays.contains(array)) {
          if (array instanceof double[] doubles) {
            free.put(false, doubles.length, doubles);
          } else {
            free.put(true, ((float[]) array).length, array);
          }
        }
      }
      buffers.lastLent = lent.size();
      lent.clear();
    }

    /** How many arrays it has lent since it last gave back, each counted once. */
    public int lentCount() {
      return lent.size();
    }

    /** Forgets what it lent, giving nothing back: the garbage collector takes those arrays. */
    public void forget() {
      lent.clear();
      buffers.freeArrays().forgetReclaimed();
    }

    /** A set of the arrays under tensors that {@link #giveBack} must keep. */
    public InUse inUse(int expectedSize) {
      return new InUse(expectedSize);
    }
  }

  /** The arrays under tensors still in use, by identity. */
  public static final class InUse {
    private final Set<Object> arrays;

    private InUse(int expectedSize) {
      arrays = Collections.newSetFromMap(new IdentityHashMap<>(expectedSize));
    }

    public void add(Tensor tensor) {
      arrays.add(arrayOf(tensor));
    }

    /** Whether {@code tensor}'s array is one of those added. */
    public boolean contains(Tensor tensor) {
      return arrays.contains(arrayOf(tensor));
    }

    private static Object arrayOf(Tensor tensor) {
      return tensor.dtype() == DType.FLOAT32
          ? TensorArrays.floats(tensor)
          : TensorArrays.array(tensor);
    }
  }
}

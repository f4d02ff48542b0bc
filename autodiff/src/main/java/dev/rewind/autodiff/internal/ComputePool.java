package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * The threads a kernel's work runs on: the calling thread and a shared pool of daemon threads,
 * {@code threads() - 1} of them, created once and reused by every call.
 *
 * <p>A kernel cuts its output into chunks of rows that never split a sum, and computes each chunk
 * with the same code whichever thread runs it; no chunk reads what another writes. The boundaries
 * depend on the shapes alone, or, where a row's numbers do not depend on the rows computed with it
 * (the Java matrix product), on the thread count too. So the numbers are the same on any number of
 * threads, and the thread count decides only how fast they come. A call of one chunk runs on the
 * caller, with no hand-over at all: that is how a kernel keeps small shapes, where waking a thread
 * would cost more than it saves, on the calling thread.
 */
public final class ComputePool {
  private static final String PROPERTY = "rewind.threads";

  private static volatile Pool pool = new Pool(configuredThreads());

  private static final LongAdder SHARED_CALLS = new LongAdder();
  // Whether this thread is running chunks of a call it made: a kernel inside one (a task of
  // Parallelism.forEach) then runs on it alone, as on a pool thread, instead of queueing chunks
  // behind the busy helpers.
  private static final ThreadLocal<Boolean> IN_CHUNK = ThreadLocal.withInitial(() -> false);

  private ComputePool() {}

  /** The number of threads kernels run on, the caller's included. */
  public static int threads() {
    return pool.threads;
  }

  /**
   * Runs kernels on {@code threads} threads from now on, the caller's included; throws, naming the
   * value, unless it is at least 1.
   */
  public static synchronized void setThreads(int threads) {
    checkThreads(threads, "threads");
    Pool previous = pool;
    if (previous.threads != threads) {
      pool = new Pool(threads);
      previous.shutdown();
    }
  }

  /**
   * How many calls of {@link #run} have handed chunks to the pool's threads since the class loaded:
   * what a test watches to see that a small kernel stayed on the caller.
   */
  public static long sharedCalls() {
    return SHARED_CALLS.sum();
  }

  /**
   * The number of chunks of {@code rows} rows of {@code rowsPerChunk} each, the last one possibly
   * shorter.
   */
  public static int chunks(int rows, int rowsPerChunk) {
    return rows == 0 ? 0 : (rows - 1) / rowsPerChunk + 1;
  }

  /**
   * Rows per chunk for {@code rows} rows of {@code workPerRow} units of work each: as many chunks
   * as carry {@code workPerChunk} units and {@code minRows} rows each (one, when the whole carries
   * less than twice that), their rows shared out evenly. A function of the shape alone.
   */
  public static int rowsPerChunk(int rows, long workPerRow, long workPerChunk, int minRows) {
    long byWork = rows * Math.max(0, workPerRow) / workPerChunk;
    long byRows = rows / Math.max(1, minRows);
    long chunks = Math.max(1, Math.min(byWork, byRows));
    return (int) Math.max(1, (rows + chunks - 1) / chunks);
  }

  /** The rows {@code [from, to)} of a kernel's output, computed by one chunk. */
  @FunctionalInterface
  public interface RowRange {
    void compute(int from, int to);
  }

  /**
   * Computes {@code rows} rows of {@code workPerRow} units of work each in chunks of at least
   * {@code workPerChunk} units (see {@link #rowsPerChunk}): fewer than twice that stay on the
   * caller.
   */
  public static void forRows(int rows, long workPerRow, long workPerChunk, RowRange body) {
    int rowsPerChunk = rowsPerChunk(rows, workPerRow, workPerChunk, 1);
    run(
        chunks(rows, rowsPerChunk),
        chunk -> {
          int from = chunk * rowsPerChunk;
          body.compute(from, Math.min(rows, from + rowsPerChunk));
        });
  }

  /**
   * Calls {@code chunk} once for each of {@code 0 .. chunks - 1}, on this thread and the pool's,
   * and returns when every call has returned; the first exception a chunk throws is rethrown here.
   * A single chunk, a pool of one thread, or a call from inside a chunk (a kernel inside a task of
   * {@link dev.rewind.autodiff.tensor.Parallelism#forEach}, on the pool's threads or the caller's)
   * runs on this thread alone.
   */
  public static void run(int chunks, IntConsumer chunk) {
    Pool current = pool;
    int helpers = Math.min(current.threads, chunks) - 1;
    if (helpers <= 0 || Thread.currentThread() instanceof Worker || IN_CHUNK.get()) {
      for (int i = 0; i < chunks; i++) {
        chunk.accept(i);
      }
      return;
    }
    SHARED_CALLS.increment();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(chunks);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable drain =
        () -> {
          for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
            try {
              chunk.accept(i);
            } catch (RuntimeException | Error e) {
              failure.compareAndSet(null, e);
            } finally {
              finished.countDown();
            }
          }
        };
    current.submit(drain, helpers);
    IN_CHUNK.set(true);
    try {
      drain.run();
    } finally {
      IN_CHUNK.set(false);
    }
    // Every chunk is claimed by now; wait for those still running elsewhere. A helper that starts
    // later finds none left and returns: it is not waited for.
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the chunks write into the caller's arrays: they must end first
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable thrown = failure.get();
    if (thrown instanceof RuntimeException e) {
      throw e;
    }
    if (thrown instanceof Error e) {
      throw e;
    }
  }

  /** Throws, naming where the count came from and its value, unless it is at least 1. */
  private static void checkThreads(int threads, String source) {
    checkArgument(threads >= 1, "%s = %s: the thread count must be at least 1", source, threads);
  }

  /** {@code rewind.threads} if set, else the machine's processors. */
  private static int configuredThreads() {
    String setting = System.getProperty(PROPERTY);
    return setting == null ? Runtime.getRuntime().availableProcessors() : parseThreads(setting);
  }

  /** The thread count a setting of {@code rewind.threads} names; throws, naming it, if none. */
  static int parseThreads(String setting) {
    int threads;
    try {
      threads = Integer.parseInt(setting.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s = %s: expected a whole number of threads, at least 1", PROPERTY, setting),
          e);
    }
    checkThreads(threads, PROPERTY);
    return threads;
  }

  /** A daemon thread of the pool, named {@code rewind-compute-N}. */
  private static final class Worker extends Thread {
    private static final AtomicInteger NUMBER = new AtomicInteger();

    Worker(Runnable task) {
      super(task, "rewind-compute-" + NUMBER.incrementAndGet());
      setDaemon(true);
    }
  }

  /** A thread count and, above one, its {@code threads - 1} helper threads. */
  private static final class Pool {
    final int threads;
    private final ExecutorService helpers;

    Pool(int threads) {
      this.threads = threads;
      this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, Worker::new);
    }

    void submit(Runnable task, int count) {
      for (int i = 0; i < count; i++) {
        try {
          helpers.execute(task);
        } catch (RejectedExecutionException e) {
          return; // setThreads replaced this pool as the call began: the caller runs what is left
        }
      }
    }

    void shutdown() {
      if (helpers != null) {
        helpers.shutdown(); // calls under way finish; their threads then end
      }
    }
  }
}

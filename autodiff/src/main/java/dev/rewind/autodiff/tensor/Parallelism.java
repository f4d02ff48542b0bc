package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.internal.ComputePool;
import java.util.function.IntConsumer;

/**
 * How many threads Rewind's kernels run on: by default the machine's processors ({@code
 * Runtime.availableProcessors()}), or the system property {@code rewind.threads} when it is set, or
 * what {@link #setThreads} last set.
 *
 * <p>The thread count changes how fast results come, never their bits. A kernel cuts its output
 * (blocks of a product's rows or columns, of a batch's rows) into chunks, and no chunk splits a
 * sum: each element is computed by the same code, in the same order, whichever thread runs it. A
 * checkpoint written on one machine therefore resumes bit for bit on another with a different
 * number of cores. Calls too small to pay for a hand-over (a product of fewer than about four
 * million multiply-adds) stay on the calling thread. The extra threads are daemon threads of one
 * shared pool, named {@code rewind-compute-N}, created once.
 *
 * <p>One setting for the whole process, as {@code torch.set_num_threads} is: the threads are a
 * resource of the machine, shared by every model and every thread that trains one.
 */
public final class Parallelism {
  private Parallelism() {}

  /** The number of threads kernels run on, the caller's included. */
  public static int threads() {
    return ComputePool.threads();
  }

  /**
   * Runs kernels on {@code threads} threads from now on, the caller's included: 1 keeps all work on
   * the calling thread. Throws {@link IllegalArgumentException}, naming the value, unless it is at
   * least 1.
   */
  public static void setThreads(int threads) {
    ComputePool.setThreads(threads);
  }

  /**
   * Calls {@code task} once for each of {@code 0 … tasks − 1} on the kernels' threads, the caller's
   * included, and returns when every call has returned; the first exception a task throws is
   * rethrown here. The coarse-grained parallelism of data-parallel training: each task's kernels
   * stay on the thread that runs it, so a task computes the same bits on whichever thread, and
   * alone. Tasks may record on tapes of their own: a tape belongs to the thread that opened it. One
   * task, or one thread, runs them all on the caller in order.
   */
  public static void forEach(int tasks, IntConsumer task) {
    checkArgument(tasks >= 0, "parallelism: forEach: the task count %s is negative", tasks);
    ComputePool.run(tasks, task);
  }
}

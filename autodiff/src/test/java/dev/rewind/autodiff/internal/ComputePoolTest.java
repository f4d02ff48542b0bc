package dev.rewind.autodiff.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The pool's settings and its one job: every chunk exactly once, its failures rethrown. */
class ComputePoolTest {
  @Test
  void theSystemPropertyNamesAWholeNumberOfThreadsAtLeastOne() {
    assertEquals(3, ComputePool.parseThreads(" 3 "));

    IllegalArgumentException word =
        assertThrows(IllegalArgumentException.class, () -> ComputePool.parseThreads("all"));
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> ComputePool.parseThreads("0"));

    assertEquals(
        "rewind.threads = all: expected a whole number of threads, at least 1", word.getMessage());
    assertEquals("rewind.threads = 0: the thread count must be at least 1", zero.getMessage());
  }

  @Test
  void everyChunkRunsExactlyOnceOnAnyNumberOfThreads() {
    int before = ComputePool.threads();
    try {
      for (int threads = 1; threads <= 4; threads++) {
        ComputePool.setThreads(threads);
        AtomicIntegerArray calls = new AtomicIntegerArray(37);
        ComputePool.run(37, calls::incrementAndGet);
        for (int i = 0; i < 37; i++) {
          assertEquals(1, calls.get(i), "chunk " + i + " on " + threads + " threads");
        }
      }
    } finally {
      ComputePool.setThreads(before);
    }
  }

  @Test
  void aCallInsideAChunkRunsOnThatChunksThreadAlone() {
    int before = ComputePool.threads();
    try {
      ComputePool.setThreads(2);
      AtomicIntegerArray threadOfInner = new AtomicIntegerArray(2 * 4);
      long handedOver = ComputePool.sharedCalls();

      ComputePool.run(
          2,
          outer -> {
            Thread thread = Thread.currentThread();
            ComputePool.run(
                4,
                inner ->
                    threadOfInner.set(outer * 4 + inner, Thread.currentThread() == thread ? 1 : 0));
          });

      assertEquals(1, ComputePool.sharedCalls() - handedOver, "only the outer call is shared");
      for (int i = 0; i < 8; i++) {
        assertEquals(
            1, threadOfInner.get(i), "inner chunk " + i + " ran on its outer chunk's thread");
      }
    } finally {
      ComputePool.setThreads(before);
    }
  }

  @Test
  void aChunksExceptionReachesTheCaller() {
    int before = ComputePool.threads();
    try {
      ComputePool.setThreads(2);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  ComputePool.run(
                      8,
                      chunk -> {
                        if (chunk == 5) {
                          throw new IllegalStateException("chunk 5 failed");
                        }
                      }));

      assertEquals("chunk 5 failed", e.getMessage());
    } finally {
      ComputePool.setThreads(before);
    }
  }
}

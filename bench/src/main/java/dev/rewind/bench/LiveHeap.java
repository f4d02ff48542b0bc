package dev.rewind.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The peak of live data on the Java heap while a case repeats: the heap in use right after a full
 * collection holds exactly what is reachable, so a sampling thread forces full collections one
 * after another ({@code System.gc()}, pausing as long as each took, so the work still advances)
 * while the work repeats, untimed, and the largest heap-after-collection is the peak. It misses at
 * most what the work makes live between two samples.
 */
final class LiveHeap implements NotificationListener {
  // Keeps each repetition's result, so the JIT cannot drop the work.
  private static volatile Object sink;

  private final Set<String> heapPools = new HashSet<>();
  private final AtomicLong peakBytes = new AtomicLong(-1);
  private final AtomicInteger samples = new AtomicInteger();

  private LiveHeap() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!notification
        .getType()
        .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    if (!info.getGcCause().equals("System.gc()")) {
      return; // a young collection leaves dead objects in the old generation
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    peakBytes.accumulateAndGet(used, Math::max);
    samples.incrementAndGet();
  }

  /** Repeats the work for at least two repetitions and {@code seconds}, sampling the live heap. */
  static String peak(SideBySide.Work work, double seconds) {
    LiveHeap listener = new LiveHeap();
    List<NotificationEmitter> emitters = new ArrayList<>();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger requested = new AtomicInteger();
    Thread sampler =
        new Thread(
            () -> {
              while (running.get()) {
                long start = System.nanoTime();
                System.gc();
                requested.incrementAndGet();
                long took = System.nanoTime() - start;
                LockSupport.parkNanos(Math.max(1_000_000L, took));
              }
            },
            "live-heap-sampler");
    sampler.setDaemon(true);
    long start = System.nanoTime();
    sampler.start();
    int repetitions = 0;
    do {
      sink = work.once();
      repetitions++;
    } while (repetitions < 2 || System.nanoTime() - start < seconds * 1e9);
    running.set(false);
    try {
      sampler.join();
      // Notifications arrive on another thread, a little after each collection ends.
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (listener.samples.get() < requested.get() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      for (NotificationEmitter emitter : emitters) {
        emitter.removeNotificationListener(listener);
      }
    } catch (InterruptedException | ListenerNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return String.format(
        Locale.ROOT,
        "{\"peak_heap_mb\": %.1f, \"samples\": %d, \"repetitions\": %d, \"seconds\": %.3f}",
        listener.peakBytes.get() < 0 ? -1.0 : listener.peakBytes.get() / SideBySide.MB,
        listener.samples.get(),
        repetitions,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * The live heap now, in MB: a full collection, then the heap pools' usage as that collection left
   * it ({@link MemoryPoolMXBean#getCollectionUsage}, which the collector sets before {@code
   * System.gc()} returns), so that nothing allocated after it counts. With nothing running, the
   * case's fixed data.
   */
  static double now() {
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterCollection = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP && afterCollection != null) {
        used += afterCollection.getUsed();
      }
    }
    return used / SideBySide.MB;
  }
}

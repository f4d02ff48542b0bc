package dev.rewind.examples.checkpoint;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the broken and hostile files fed to the readers, for the test report. */
final class HostileInputs {
  private static final AtomicLong COUNT = new AtomicLong();

  private HostileInputs() {}

  static void count(long inputs) {
    long total = COUNT.addAndGet(inputs);
    System.out.println("hostile inputs tried so far: " + total);
  }

  static void one() {
    COUNT.incrementAndGet();
  }

  static long total() {
    return COUNT.get();
  }
}

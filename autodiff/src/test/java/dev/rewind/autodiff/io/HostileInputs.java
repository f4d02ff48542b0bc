package dev.rewind.autodiff.io;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the broken and hostile files fed to the readers, for the test report. */
public final class HostileInputs {
  private static final AtomicLong COUNT = new AtomicLong();

  private HostileInputs() {}

  public static void count(long inputs) {
    long total = COUNT.addAndGet(inputs);
    System.out.println("hostile inputs tried so far: " + total);
  }

  public static void one() {
    COUNT.incrementAndGet();
  }

  public static long total() {
    return COUNT.get();
  }
}

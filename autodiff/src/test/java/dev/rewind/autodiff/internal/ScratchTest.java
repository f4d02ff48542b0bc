package dev.rewind.autodiff.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void anArrayComesBackZeroedAndOfTheLengthAskedFor() {
    double[] first = Scratch.zeros(0, 5);
    Arrays.fill(first, 3.0);
    double[] again = Scratch.zeros(0, 5);
    assertSame(first, again);
    assertArrayEquals(new double[5], again);
    double[] longer = Scratch.zeros(0, 7);
    assertEquals(7, longer.length);
    assertArrayEquals(new double[7], longer);
  }

  @Test
  void slotsAndThreadsHaveArraysOfTheirOwn() throws Exception {
    double[] zero = Scratch.zeros(0, 4);
    double[] one = Scratch.zeros(1, 4);
    assertNotSame(zero, one);
    double[] elsewhere = CompletableFuture.supplyAsync(() -> Scratch.zeros(0, 4)).get();
    assertNotSame(zero, elsewhere);
  }
}

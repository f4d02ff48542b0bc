package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GradientTreeProperties {

  /** Shard s's gradients: values of many magnitudes, so that the order of addition shows. */
  private static double[][] gradients(long s) {
    Random random = new Random(s);
    double[][] arrays = new double[2][5];
    for (double[] array : arrays) {
      for (int i = 0; i < array.length; i++) {
        array[i] = random.nextGaussian() * Math.pow(10, random.nextInt(16) - 8);
      }
    }
    return arrays;
  }

  private static GradientTree leaf(long s) {
    return GradientTree.leaf(s, gradients(s), gradients(s)[0][0]);
  }

  /** The shards in order, summed one tree at a time from the left: one fixed grouping. */
  private static GradientTree.Sum inOrder(int shards) {
    GradientTree tree = GradientTree.empty();
    for (int s = 0; s < shards; s++) {
      tree.merge(leaf(s));
    }
    return tree.total(shards);
  }

  @Property(tries = 60)
  void anyGroupingAndOrderGivesTheSameBits(
      @ForAll @IntRange(min = 1, max = 40) int shards,
      @ForAll @IntRange(min = 1, max = 8) int partitions,
      @ForAll long seed) {
    Random random = new Random(seed);
    // Consecutive shards per partition, as Spark holds them; partitions merged in a random order.
    List<GradientTree> partials = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      GradientTree partial = GradientTree.empty();
      for (long s = (long) p * shards / partitions; s < (long) (p + 1) * shards / partitions; s++) {
        partial.merge(leaf(s));
      }
      partials.add(partial);
    }
    Collections.shuffle(partials, random);
    while (partials.size() > 1) {
      GradientTree a = partials.remove(random.nextInt(partials.size()));
      GradientTree b = partials.remove(random.nextInt(partials.size()));
      partials.add(a.merge(b));
    }
    GradientTree.Sum sum = partials.get(0).total(shards);
    GradientTree.Sum expected = inOrder(shards);
    for (int p = 0; p < expected.gradients().length; p++) {
      assertArrayEquals(expected.gradients()[p], sum.gradients()[p], 0.0);
    }
    assertEquals(expected.loss(), sum.loss(), 0.0);
  }

  @Test
  void theOrderIsThatOfABinaryTreeOverTheShards() {
    // ((g0 + g1) + (g2 + g3)) + g4, not (((g0 + g1) + g2) + g3) + g4.
    GradientTree.Sum sum = inOrder(5);
    double[] g0 = gradients(0)[1];
    double[] g1 = gradients(1)[1];
    double[] g2 = gradients(2)[1];
    double[] g3 = gradients(3)[1];
    double[] g4 = gradients(4)[1];
    for (int i = 0; i < g0.length; i++) {
      assertEquals(((g0[i] + g1[i]) + (g2[i] + g3[i])) + g4[i], sum.gradients()[1][i], 0.0);
    }
  }

  @Test
  void aShardSummedTwiceOrMissingIsAnError() {
    GradientTree tree = GradientTree.empty().merge(leaf(0)).merge(leaf(1));
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> tree.merge(leaf(1)));
    assertTrue(twice.getMessage().contains("summed twice"), twice.getMessage());
    IllegalStateException missing = assertThrows(IllegalStateException.class, () -> tree.total(3));
    assertTrue(missing.getMessage().contains("holds 2 shards, not the 3"), missing.getMessage());
  }
}

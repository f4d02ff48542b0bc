package dev.rewind.datasets.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.SequenceBatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SineWaveProperties {

  @Property(tries = 50)
  void targetIsTheNextInput(@ForAll long seed, @ForAll @IntRange(min = 2, max = 100) int length) {
    SequenceBatch batch = SineWave.ofLength(length).generate(3, seed);

    for (int b = 0; b < 3; b++) {
      for (int t = 0; t + 1 < length; t++) {
        assertEquals(batch.inputs().get(b, t + 1, 0), batch.targets().get(b, t, 0), 1e-12);
      }
    }
  }

  /** sin(a − w) + sin(a + w) = 2 cos(w) sin(a): three samples of a sine determine its frequency. */
  @Property(tries = 50)
  void everySequenceIsASineOfOneFrequencyInTheRange(@ForAll long seed) {
    SineWave task = new SineWave(40, 0.05, 0.2);
    SequenceBatch batch = task.generate(3, seed);

    for (int b = 0; b < 3; b++) {
      double[] x = new double[41];
      for (int t = 0; t < 40; t++) {
        x[t] = batch.inputs().get(b, t, 0);
      }
      x[40] = batch.targets().get(b, 39, 0);
      double twoCos = Double.NaN;
      for (int t = 1; t < 40 && Double.isNaN(twoCos); t++) {
        if (Math.abs(x[t]) > 0.5) {
          twoCos = (x[t - 1] + x[t + 1]) / x[t];
        }
      }
      double frequency = Math.acos(twoCos / 2) / (2 * Math.PI);
      assertTrue(frequency >= 0.05 - 1e-9 && frequency <= 0.2 + 1e-9, "f " + frequency);
      for (int t = 1; t < 40; t++) {
        assertEquals(twoCos * x[t], x[t - 1] + x[t + 1], 1e-9, "step " + t);
      }
    }
  }
}

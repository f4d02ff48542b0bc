package dev.rewind.datasets.benchmarks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Masks;
import java.util.Random;

/**
 * Next-value prediction on sine waves: each sequence samples {@code x_t = sin(2π f t + φ)} for t =
 * 0 … length, with the frequency f (in cycles per step) uniform in {@code [minFrequency,
 * maxFrequency]} and the phase φ uniform in [0, 2π), both drawn per sequence, frequency first. The
 * inputs are {@code x_0 … x_{length−1}} and the targets {@code x_1 … x_length}, each {@code [batch,
 * length, 1]}. A network must infer f and φ from what it has read, and the lower the frequency the
 * longer it must look back.
 *
 * @param length the number of steps
 * @param minFrequency the lowest frequency, in cycles per step
 * @param maxFrequency the highest frequency, at most 0.5 (the Nyquist limit)
 */
public record SineWave(int length, double minFrequency, double maxFrequency)
    implements Task<SequenceBatch> {

  public SineWave {
    checkArgument(length >= 1, "sine wave: length must be at least 1, not %s", length);
    checkArgument(
        minFrequency > 0 && minFrequency <= maxFrequency && maxFrequency <= 0.5,
        "sine wave: frequencies must satisfy 0 < min <= max <= 0.5, not [%s, %s]",
        minFrequency,
        maxFrequency);
  }

  /** Waves of {@code length} steps with periods between 8 and 32 steps. */
  public static SineWave ofLength(int length) {
    return new SineWave(length, 1.0 / 32, 1.0 / 8);
  }

  @Override
  public SequenceBatch generate(int sequences, Random random) {
    checkArgument(sequences >= 1, "sine wave: at least one sequence, not %s", sequences);
    double[] inputs = new double[sequences * length];
    double[] targets = new double[sequences * length];
    for (int b = 0; b < sequences; b++) {
      double frequency = minFrequency + (maxFrequency - minFrequency) * random.nextDouble();
      double phase = 2 * Math.PI * random.nextDouble();
      for (int t = 0; t < length; t++) {
        inputs[b * length + t] = Math.sin(2 * Math.PI * frequency * t + phase);
        targets[b * length + t] = Math.sin(2 * Math.PI * frequency * (t + 1) + phase);
      }
    }
    Shape shape = Shape.of(sequences, length, 1);
    return new SequenceBatch(
        Tensor.of(shape, inputs), Tensor.of(shape, targets), Masks.full(sequences, length));
  }
}

package dev.rewind.datasets.tasks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.Indices;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Masks;
import java.util.Random;

/**
 * Note 000's Example 3: sequences of random inputs, each element uniform in [0, 1), with a label at
 * every step drawn uniformly from {0, …, classes − 1}, independently of the inputs — as the notes'
 * {@code np.random.rand(n_seqs, n_steps, n_in)} and {@code np.random.randint(size=(n_seqs,
 * n_steps), low=0, high=n_out)}. The notes use 8 inputs, 64 steps, 3 classes and 16 sequences. With
 * no relation between inputs and labels, a network can only memorise them, which is what the notes'
 * learning curve and predicted-label plot show.
 *
 * <p>All inputs are drawn first (batch, then step, then feature), then all labels.
 *
 * @param features the input dimension, 8 in the notes
 * @param steps the sequence length, 64 in the notes
 * @param classes the number of labels, 3 in the notes
 */
public record RandomClassification(int features, int steps, int classes)
    implements Task<ClassBatch> {
  /** The notes' set-up: 8 inputs, 64 steps, 3 classes; generate {@link #SEQUENCES} of them. */
  public static final RandomClassification EXAMPLE_3 = new RandomClassification(8, 64, 3);

  /** The notes' number of sequences. */
  public static final int SEQUENCES = 16;

  public RandomClassification {
    checkArgument(
        features >= 1 && steps >= 1 && classes >= 1,
        "random classification: features %s, steps %s and classes %s must all be at least 1",
        features,
        steps,
        classes);
  }

  @Override
  public ClassBatch generate(int sequences, Random random) {
    checkArgument(
        sequences >= 1, "random classification: at least one sequence, not %s", sequences);
    Tensor inputs = Tensor.randomUniform(Shape.of(sequences, steps, features), 0.0, 1.0, random);
    int[][] labels = new int[sequences][steps];
    for (int b = 0; b < sequences; b++) {
      for (int t = 0; t < steps; t++) {
        labels[b][t] = random.nextInt(classes);
      }
    }
    return new ClassBatch(inputs, Indices.of(labels), Masks.full(sequences, steps));
  }
}

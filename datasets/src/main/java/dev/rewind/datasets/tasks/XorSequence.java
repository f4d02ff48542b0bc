package dev.rewind.datasets.tasks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Masks;
import java.util.Arrays;
import java.util.Random;

/**
 * Note 003's XOR sequence: rows {@code a, b, a XOR b} of the XOR truth table written one after the
 * other as a stream of bits, and a network trained to predict the next bit. The notes write the
 * table's four rows in order, {@code 000 011 101 110}, and ask how a network could learn the
 * structure of such a stream. Only every third bit is predictable: it is the XOR of the two before
 * it; the other two are coin flips.
 *
 * <p>Each stream starts with the notes' twelve bits, {@code 000011101110}, and continues with
 * random rows (a and b each a fair coin), so a printed stream begins as the notes' does. Inputs are
 * bits {@code 0 … n − 2} and targets bits {@code 1 … n − 1}, each {@code [batch, 3·triples − 1,
 * 1]}.
 *
 * @param triples the number of rows {@code a, b, a XOR b} in each stream, at least 1
 */
public record XorSequence(int triples) implements Task<SequenceBatch> {
  /** The sequence of the notes: the truth table's rows in order. */
  public static final String NOTES_SEQUENCE = "000011101110";

  private static final int[][] TRUTH_TABLE = {{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}};

  public XorSequence {
    checkArgument(triples >= 1, "xor sequence: at least one triple, not %s", triples);
  }

  /** One stream of {@code 3·triples} bits: the truth table's rows in order, then random rows. */
  public int[] bits(Random random) {
    int[] bits = new int[3 * triples];
    for (int i = 0; i < triples; i++) {
      int a;
      int b;
      if (i < TRUTH_TABLE.length) {
        a = TRUTH_TABLE[i][0];
        b = TRUTH_TABLE[i][1];
      } else {
        a = random.nextInt(2);
        b = random.nextInt(2);
      }
      bits[3 * i] = a;
      bits[3 * i + 1] = b;
      bits[3 * i + 2] = a ^ b;
    }
    return bits;
  }

  /** The number of input (and target) steps, {@code 3·triples − 1}. */
  public int steps() {
    return 3 * triples - 1;
  }

  @Override
  public SequenceBatch generate(int sequences, Random random) {
    checkArgument(sequences >= 1, "xor sequence: at least one sequence, not %s", sequences);
    int[][] inputs = new int[sequences][];
    int[][] targets = new int[sequences][];
    for (int s = 0; s < sequences; s++) {
      int[] bits = bits(random);
      inputs[s] = Arrays.copyOfRange(bits, 0, bits.length - 1);
      targets[s] = Arrays.copyOfRange(bits, 1, bits.length);
    }
    return new SequenceBatch(
        Bits.sequences(inputs), Bits.sequences(targets), Masks.full(sequences, steps()));
  }

  /**
   * A {@code [sequences, steps]} mask with a 1 at each step whose target is an XOR bit, the only
   * predictable ones: target t is bit t + 1, which is an XOR when {@code t mod 3 = 1}. Use it to
   * measure (not to train) how well the structure was learnt.
   */
  public Tensor predictableSteps(int sequences) {
    double[] mask = new double[sequences * steps()];
    for (int s = 0; s < sequences; s++) {
      for (int t = 1; t < steps(); t += 3) {
        mask[s * steps() + t] = 1.0;
      }
    }
    return Tensor.of(Shape.of(sequences, steps()), mask);
  }
}

package dev.rewind.layers;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;

/** What the checkpointed-unroll tests share: the sequence, its mask, the segment lengths tried. */
final class CheckpointedCases {
  static final int STEPS = 7;
  static final int BATCH = 2;
  // 1, T, lengths that divide T and lengths that do not, and one longer than T.
  static final int[] SEGMENT_LENGTHS = {1, 2, 3, 5, STEPS, 10};
  // Row 1 has padding at the end and a masked step in the middle.
  static final Tensor MASK =
      Tensor.of(Shape.of(BATCH, STEPS), 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0);

  private CheckpointedCases() {}

  /** For every registry case with a cell, {@code check} without a mask and with {@link #MASK}. */
  static Stream<DynamicNode> everyCellWithAndWithoutAMask(BiConsumer<CellCase, Tensor> check) {
    return CellCases.all().stream()
        .filter(cellCase -> cellCase.build().get().cell().isPresent())
        .map(
            cellCase ->
                dynamicContainer(
                    cellCase.name(),
                    Stream.of(
                        dynamicTest("without a mask", () -> check.accept(cellCase, null)),
                        dynamicTest("with a mask", () -> check.accept(cellCase, MASK)))));
  }
}

package dev.rewind.autodiff.tape;

import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gradient checkpointing (Chen et al., 2016, "Training deep nets with sublinear memory cost"): a
 * part of the computation whose intermediate values the tape does not keep, recomputed when the
 * backward pass reaches it. A segment costs one more forward run of itself in the backward pass and
 * keeps, on the tape, only one node and its outputs.
 *
 * <pre>{@code
 * List<Var> out = Recompute.segment(() -> List.of(x.matmul(w).tanh().matmul(v)));
 * }</pre>
 *
 * <p>The segment is a function of the values it reads, parameters and recorded values alike, which
 * it finds by itself. Its gradients are the plain tape's, to the bit: the recomputation runs the
 * same ops and adds each gradient into the same sums, in the same order. What it needs:
 *
 * <ul>
 *   <li>it computes the same values when run again: random numbers go through {@link #random}
 *       (dropout with {@link Var#dropout(double, boolean, java.util.Random)} does), so that the
 *       second run gets the first run's draws; a parameter keeps its value until the gradient is
 *       taken. A second run that computes other values is an {@link IllegalStateException} in the
 *       backward pass.
 *   <li>its backward pass is not recorded: a gradient taken inside an outer tape (gradients of
 *       gradients) through a segment is an {@link IllegalStateException}; compute it without
 *       recomputation.
 *   <li>it does not itself run a recomputed segment.
 * </ul>
 *
 * <p>With nothing recording (inference, {@link Tape#noGrad()}) the segment just runs. Inside a tape
 * in anomaly mode ({@link Tape#recordDetectingAnomalies()}) the segment's ops are checked too, in
 * both runs, and an anomaly names the op of the segment that produced it.
 */
public final class Recompute {
  private Recompute() {}

  /**
   * Runs {@code segment} now, keeping none of its intermediate values, and again when a backward
   * pass reaches its outputs. Returns its values: those it computed as outputs of one recorded node
   * (a value listed twice is one output), those it passed through (a value it read, or a constant)
   * as they are.
   *
   * @param segment computes values from values it reads; called once now and once in each backward
   *     pass that needs its gradients
   */
  public static List<Var> segment(Supplier<? extends List<Var>> segment) {
    Recording recording = Recording.current();
    if (!recording.isRecording()) {
      return List.copyOf(segment.get());
    }
    RandomDraws draws = RandomDraws.drawing();
    List<Var> values;
    List<Var> read;
    // The segment's own values, each once; and for each listed value, which one it is, or -1.
    Map<Var, Integer> computed = new IdentityHashMap<>();
    int[] outputOf;
    try (Recording.Isolation isolated = recording.isolate(draws);
        Tape tape = isolated.openTape()) {
      values = List.copyOf(segment.get());
      read = tape.externalInputs();
      outputOf = new int[values.size()];
      for (int j = 0; j < values.size(); j++) {
        Var value = values.get(j);
        outputOf[j] =
            tape.holds(value) ? computed.computeIfAbsent(value, v -> computed.size()) : -1;
      }
    }
    if (computed.isEmpty()) {
      return values;
    }
    Tensor[] outputValues = new Tensor[computed.size()];
    int[] firstListed = new int[computed.size()];
    for (int j = values.size() - 1; j >= 0; j--) {
      if (outputOf[j] >= 0) {
        outputValues[outputOf[j]] = values.get(j).peek();
        firstListed[outputOf[j]] = j;
      }
    }
    List<Var> outputs =
        new RecomputedSegment(segment, draws, outputValues, firstListed)
            .applyAll(read.toArray(Var[]::new));
    List<Var> result = new ArrayList<>(values.size());
    for (int j = 0; j < values.size(); j++) {
      result.add(outputOf[j] >= 0 ? outputs.get(outputOf[j]) : values.get(j));
    }
    return List.copyOf(result);
  }

  /**
   * A random tensor, drawn by {@code draw}; inside a recomputed segment, drawn the first time it
   * runs and handed back, in the same order, when it runs again. An op that draws random numbers
   * while it is applied draws them through here, so that it can be part of a segment.
   */
  public static Tensor random(Supplier<Tensor> draw) {
    return Recording.current().draw(draw);
  }
}

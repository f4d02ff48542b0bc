package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentState;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.checkpoint.Checkpoint;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.Progress;
import dev.rewind.train.checkpoint.RestoreCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A {@link Trainer}'s checkpoints: what it saves every N steps and restores on resume. The position
 * inside a batch cut into windows is saved as an attribute of its own, beside the caller's.
 */
final class TrainerCheckpoints {
  /** The prefix of the attributes that are the trainer's own; callers' may not use it. */
  static final String PREFIX = "trainer.";

  /** The attribute holding the first time step of the next window inside the current batch. */
  static final String WINDOW_START = PREFIX + "window_start";

  private final CheckpointFolder folder;
  private final long every;
  private final ImmutableMap<String, String> attributes;

  TrainerCheckpoints(CheckpointFolder folder, long every, Map<String, String> attributes) {
    checkArgument(every >= 1, "trainer: checkpoints every %s steps: must be at least 1", every);
    for (String key : attributes.keySet()) {
      checkArgument(
          !key.startsWith(PREFIX),
          "trainer: attribute %s: names starting with %s are the trainer's own",
          key,
          PREFIX);
    }
    this.folder = folder;
    this.every = every;
    this.attributes = ImmutableMap.copyOf(attributes);
  }

  long every() {
    return every;
  }

  /** Where training stands, as the trainer restores it. */
  record Restored<S>(
      Checkpoint.Restored checkpoint,
      long step,
      long position,
      int windowStart,
      S carried,
      Map<String, String> loop) {}

  <S extends RecurrentState<S>> Path save(
      Layer model,
      Optimizer optimizer,
      Random random,
      long step,
      long position,
      int windowStart,
      S carried,
      Map<String, String> loop)
      throws IOException {
    Progress progress =
        Progress.of(step, position)
            .withCarried(carried.tensors())
            .withAttributes(attributes)
            .withAttributes(Map.of(WINDOW_START, Integer.toString(windowStart)))
            .withAttributes(loop);
    return folder.save(model, optimizer, random, progress);
  }

  /**
   * The newest intact checkpoint that {@code check} accepts, restored into {@code model} and {@code
   * optimizer}, if there is one: see {@link CheckpointFolder#restoreLatest(Layer, Optimizer, Map,
   * RestoreCheck)}.
   */
  <S extends RecurrentState<S>> Optional<Restored<S>> restoreLatest(
      Layer model, Optimizer optimizer, S template, RestoreCheck check) throws IOException {
    Optional<Checkpoint.Restored> found =
        folder.restoreLatest(model, optimizer, template.shapes(), check);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Progress progress = found.get().progress();
    String windowStart = progress.attributes().getOrDefault(WINDOW_START, "0");
    return Optional.of(
        new Restored<>(
            found.get(),
            progress.step(),
            progress.dataPosition(),
            Integer.parseInt(windowStart),
            template.withTensors(progress.carried()),
            progress.attributes()));
  }
}

package dev.rewind.train.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Map;

/**
 * Where training stands, apart from the weights, the optimizer and the random generator: the number
 * of steps taken, the position in the data, the recurrent state carried from one window into the
 * next (truncated BPTT over a stream), and free-form attributes the caller wants back (a corpus
 * name, the hyperparameters). The data position is opaque here: a window index, a count of
 * sequences read, whatever the caller needs to draw the same next batch.
 *
 * @param step the number of training steps taken, skipped steps included; not negative
 * @param dataPosition where the next batch starts, in the caller's own terms
 * @param carried the state carried into the next step, by name ({@link
 *     dev.rewind.layers.RecurrentState#tensors}); empty when nothing is carried
 * @param attributes strings saved and restored as they are; keys non-empty
 */
public record Progress(
    long step,
    long dataPosition,
    ImmutableMap<String, Tensor> carried,
    ImmutableMap<String, String> attributes) {

  public Progress {
    checkArgument(step >= 0, "progress: step %s is negative", step);
    checkArgument(dataPosition >= 0, "progress: data position %s is negative", dataPosition);
    for (String name : carried.keySet()) {
      checkArgument(!name.isEmpty(), "progress: a carried tensor's name is empty");
    }
    for (String key : attributes.keySet()) {
      checkArgument(!key.isEmpty(), "progress: an attribute key is empty");
    }
  }

  /** At {@code step}, with the data at {@code dataPosition}, nothing carried, no attributes. */
  public static Progress of(long step, long dataPosition) {
    return new Progress(step, dataPosition, ImmutableMap.of(), ImmutableMap.of());
  }

  /** This progress carrying {@code tensors} (replacing what it carried). */
  public Progress withCarried(Map<String, Tensor> tensors) {
    return new Progress(step, dataPosition, ImmutableMap.copyOf(tensors), attributes);
  }

  /** This progress with {@code more} attributes (replacing any of the same key). */
  public Progress withAttributes(Map<String, String> more) {
    return new Progress(
        step,
        dataPosition,
        carried,
        ImmutableMap.<String, String>builder().putAll(attributes).putAll(more).buildKeepingLast());
  }
}

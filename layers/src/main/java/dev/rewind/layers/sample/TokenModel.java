package dev.rewind.layers.sample;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import java.util.Random;

/**
 * A model that reads one token per step and scores every token of its vocabulary as the next one: a
 * character or word language model. Implementing its two methods gives {@link #generate}.
 *
 * @param <S> the state carried from one step to the next
 */
public interface TokenModel<S> {

  /** The state before the first token, for {@code batch} streams. */
  S initialState(int batch);

  /**
   * Reads one token per stream ({@code tokens[b]}) and returns the logits {@code [batch,
   * vocabulary]} for the next token, and the new state.
   */
  Step<S> step(int[] tokens, S state);

  /**
   * Reads {@code prime} from the initial state, then samples {@code length} tokens with {@code
   * sampler}, each fed back as the next input; returns only the sampled tokens. Nothing is recorded
   * on any tape. The sampler draws one number from {@code random} per token, so a seed fixes the
   * result.
   *
   * @throws IllegalArgumentException if {@code prime} is empty, {@code length} is negative, a token
   *     of {@code prime} is outside the range of the logits, or a step returns logits that are not
   *     one row
   */
  default int[] generate(int[] prime, int length, Sampler sampler, Random random) {
    checkArgument(prime.length > 0, "generate: the tokens to start from are empty");
    checkArgument(length >= 0, "generate: length %s must not be negative", length);
    int[] sampled = new int[length];
    try (var scope = Tape.noGrad()) {
      S state = initialState(1);
      Step<S> step = null;
      for (int i = 0; i < prime.length; i++) {
        checkArgument(prime[i] >= 0, "generate: token %s at %s is negative", prime[i], i);
        step = step(new int[] {prime[i]}, state);
        state = step.state();
        checkToken(prime[i], i, step.logits());
      }
      for (int i = 0; i < length; i++) {
        sampled[i] = sampler.sample(step.logits().value().toArray(), random);
        // NOTE: the last token sampled is not read: nothing would use what the model says next.
        if (i + 1 < length) {
          step = step(new int[] {sampled[i]}, step.state());
        }
      }
    }
    return sampled;
  }

  private static void checkToken(int token, int position, Var logits) {
    checkArgument(
        logits.shape().rank() == 2 && logits.shape().dim(0) == 1,
        "generate: a step for one stream returned logits of shape %s, not [1, vocabulary]",
        logits.shape());
    int vocabulary = logits.shape().dim(1);
    checkArgument(
        token < vocabulary,
        "generate: token %s at %s is outside the %s logits the model gives",
        token,
        position,
        vocabulary);
  }

  /**
   * What a step returns.
   *
   * @param logits {@code [batch, vocabulary]}: a score for each token being the next
   * @param state the state after reading the token
   */
  record Step<S>(Var logits, S state) {}
}

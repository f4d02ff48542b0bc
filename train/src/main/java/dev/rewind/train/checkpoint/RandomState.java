package dev.rewind.train.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Random;

/**
 * The exact state of a {@link java.util.Random} as text: its serialized form (the 48-bit seed and
 * the cached second Gaussian), in Base64. Reading it back deserializes under a filter that admits
 * {@code java.util.Random} and nothing else, within a few hundred bytes, so a hostile file cannot
 * make it build any other object. {@link #copy} uses the same form to copy a generator exactly.
 */
public final class RandomState {
  /** Far above the 104 bytes of a serialized Random, far below anything harmful. */
  static final int MAX_ENCODED_CHARS = 1024;

  private static final ObjectInputFilter ONLY_RANDOM =
      ObjectInputFilter.Config.createFilter(
          "maxdepth=1;maxrefs=4;maxbytes=512;maxarray=0;java.util.Random;!*");

  private RandomState() {}

  /**
   * A new generator in exactly the state of {@code random}: it draws the same numbers, Gaussians
   * included, and {@code random} is not advanced.
   *
   * @throws IllegalArgumentException if {@code random} is not a plain {@code java.util.Random}
   */
  public static Random copy(Random random) {
    return decode(encode(random));
  }

  /**
   * Whether {@link #copy} can copy {@code random}: a plain {@code java.util.Random}, no subclass.
   */
  public static boolean copyable(Random random) {
    return random.getClass() == Random.class;
  }

  /** The state of {@code random}, which must be a plain {@code java.util.Random}. */
  static String encode(Random random) {
    checkArgument(
        random.getClass() == Random.class,
        "checkpoint: the random generator is a %s; only a plain java.util.Random has a state that"
            + " can be saved exactly",
        random.getClass().getName());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(random);
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint: cannot serialize a java.util.Random", e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /**
   * A new generator in the state {@code text} describes.
   *
   * @throws IllegalArgumentException if {@code text} is not the state of a {@code java.util.Random}
   */
  static Random decode(String text) {
    checkArgument(
        text.length() <= MAX_ENCODED_CHARS,
        "the random state is %s characters, more than the %s a java.util.Random needs",
        text.length(),
        MAX_ENCODED_CHARS);
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the random state is not Base64: " + e.getMessage(), e);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(ONLY_RANDOM);
      Object object = in.readObject();
      checkArgument(
          object != null && object.getClass() == Random.class && in.read() == -1,
          "the random state is not one serialized java.util.Random");
      return (Random) object;
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      if (e instanceof IllegalArgumentException known) {
        throw known;
      }
      throw new IllegalArgumentException(
          "the random state is not a serialized java.util.Random (" + e + ")", e);
    }
  }
}

package dev.rewind.examples.cli;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.text.CharModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of a {@code train-text} run that a checkpoint must share to be resumed: the cell and
 * its sizes, the dtype, the batch, window, learning rate, clip and seed, and the text with its
 * vocabulary. Every training checkpoint carries them as attributes.
 */
final class TrainTextSettings {
  private static final String CORPUS = "corpus";
  private static final String CHARACTERS = "characters";
  private static final String TEXT = "text";
  private static final String VOCABULARY = "vocabulary";
  private static final String DTYPE = "dtype";

  private final Corpus corpus;
  private final Vocabulary vocabulary;
  private final ImmutableMap<String, String> attributes;

  TrainTextSettings(
      CharModel.Config config,
      DType dtype,
      int batch,
      int window,
      double learningRate,
      double clip,
      long seed,
      Corpus corpus,
      Vocabulary vocabulary) {
    this.corpus = corpus;
    this.vocabulary = vocabulary;
    // Keys other than corpus, characters, text and vocabulary are option names: a mismatch names
    // them as --KEY. The order is the order in which differences are looked for. The text is
    // identified by the SHA-256 of its content; its path (corpus) is only shown in messages, so
    // the same file under another path is the same text, and a file changed in place is not.
    this.attributes =
        ImmutableMap.<String, String>builder()
            .put("cell", config.cell().label())
            .put("hidden", Integer.toString(config.hiddenSize()))
            .put("embedding", Integer.toString(config.embeddingSize()))
            .put(DTYPE, dtype == DType.FLOAT32 ? "f32" : "f64")
            .put("batch", Integer.toString(batch))
            .put("window", Integer.toString(window))
            .put("lr", Double.toString(learningRate))
            .put("clip", Double.toString(clip))
            .put("seed", Long.toString(seed))
            .put(VOCABULARY, vocabularyText(vocabulary))
            .put(CHARACTERS, Integer.toString(corpus.length()))
            .put(TEXT, "sha256:" + corpus.sha256())
            .put(CORPUS, corpus.name())
            .buildOrThrow();
  }

  /** The settings as saved with each checkpoint, in a fixed order. */
  ImmutableMap<String, String> attributes() {
    return attributes;
  }

  /**
   * Refuses a checkpoint {@code file} whose {@code saved} attributes show other settings or another
   * text, naming the first difference.
   *
   * @throws IllegalArgumentException if a setting is missing from {@code saved} or differs
   */
  void checkSavedWith(Path file, Map<String, String> saved) {
    for (Map.Entry<String, String> entry : attributes.entrySet()) {
      String key = entry.getKey();
      if (key.equals(CORPUS)) {
        continue; // the path, for messages
      }
      String was = saved.get(key);
      if (was == null && key.equals(DTYPE)) {
        was = "f64"; // saved before --dtype existed, when every run was float64
      }
      if (was == null) {
        throw new IllegalArgumentException(
            String.format(
                "--resume: %s was not saved by train-text (no '%s' among its attributes %s)",
                file, key, saved.keySet()));
      }
      if (!was.equals(entry.getValue())) {
        throw mismatch(file, saved, key, was, entry.getValue());
      }
    }
  }

  private IllegalArgumentException mismatch(
      Path file, Map<String, String> saved, String key, String was, String is) {
    switch (key) {
      case VOCABULARY -> {
        // The vocabulary's own check says which symbols differ; it is the better message.
        try {
          Vocabulary.of(was).checkSameAs(vocabulary, corpus.name());
        } catch (IllegalArgumentException e) {
          return new IllegalArgumentException("--resume: " + file + ": " + e.getMessage(), e);
        }
        return new IllegalArgumentException(
            "--resume: " + file + ": the vocabulary differs from that of " + corpus.name());
      }
      case CHARACTERS, TEXT -> {
        return new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "--resume: %s was trained on another text: %s (%s characters, %s), this run reads"
                    + " %s (%,d characters, %s): pass the same text, or another --checkpoints"
                    + " folder",
                file,
                saved.getOrDefault(CORPUS, "?"),
                number(saved.getOrDefault(CHARACTERS, "?")),
                shortHash(saved.getOrDefault(TEXT, "?")),
                corpus.name(),
                corpus.length(),
                shortHash(attributes.get(TEXT))));
      }
      default -> {
        return new IllegalArgumentException(
            String.format(
                "--resume: %s was trained with --%s %s, this run has --%s %s: resume with the"
                    + " same settings, or pass another --checkpoints folder",
                file, key, was, key, is));
      }
    }
  }

  /** A saved count with thousands separators, as this run's is shown; anything else as it is. */
  private static String number(String saved) {
    try {
      return String.format(Locale.ROOT, "%,d", Long.parseLong(saved));
    } catch (NumberFormatException e) {
      return saved;
    }
  }

  /** {@code sha256:} and the first 12 hex digits: enough to tell two texts apart in a message. */
  private static String shortHash(String hash) {
    return hash.length() > 19 ? hash.substring(0, 19) + "…" : hash;
  }

  /** The vocabulary's symbols in order, as one string ({@link Vocabulary#of(String)} reads it). */
  private static String vocabularyText(Vocabulary vocabulary) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < vocabulary.size(); i++) {
      text.appendCodePoint(vocabulary.symbol(i));
    }
    return text.toString();
  }
}

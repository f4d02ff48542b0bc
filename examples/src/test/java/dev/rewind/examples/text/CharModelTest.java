package dev.rewind.examples.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.io.LayerWeights;
import dev.rewind.layers.sample.Categorical;
import dev.rewind.layers.sample.Sampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CharModelTest {
  private static final Corpus TEXT =
      Corpus.of("test text", DefaultCorpus.generate(new Random(4), 2_000));
  private static final Vocabulary VOCABULARY = Vocabulary.of(TEXT);

  @ParameterizedTest
  @EnumSource(CellType.class)
  void parameterNamesAreDistinctSoThatAdamCanKeyItsState(CellType cell) {
    for (int embedding : new int[] {0, 6}) {
      CharModel<?> model = model(cell, embedding);
      Set<String> names = new HashSet<>();
      model.parameters().forEach(p -> assertTrue(names.add(p.name()), "repeated " + p.name()));
    }
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void trainingLowersTheLossOnTheTextItReads(CellType cell) {
    LanguageModelStreams streams = LanguageModelStreams.of(TEXT, VOCABULARY, 4, 16);
    CharModel<?> model = model(cell, 8);
    double before = CharTrainer.evaluate(model, streams);
    LearningCurve curve = train(model, streams, 40);
    double after = CharTrainer.evaluate(model, streams);
    assertEquals(40, curve.training().length);
    assertTrue(after < before - 0.3, cell + ": loss " + before + " -> " + after);
  }

  @Test
  void carryingTheStateAcrossWindowsReadsTheTextAsOneSequence() {
    // Detaching between windows cuts gradients, never values: the loss of the text read window by
    // window with the state carried equals the loss of the text read in one window.
    CharModel<?> model = model(CellType.LSTM, 5);
    Corpus text = TEXT.slice(0, 4 * 97 + 1, "first part");
    double windowed = CharTrainer.evaluate(model, LanguageModelStreams.of(text, VOCABULARY, 4, 8));
    double whole = CharTrainer.evaluate(model, LanguageModelStreams.of(text, VOCABULARY, 4, 96));
    assertEquals(whole, windowed, 1e-12);
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void aCheckpointLoadsBackIntoAFreshModel(CellType cell, @TempDir Path folder) throws Exception {
    CharModel<?> model = model(cell, cell == CellType.ELMAN ? 0 : 6);
    Path file = folder.resolve("model.safetensors");
    CharCheckpoint.save(model, VOCABULARY, file);
    assertTrue(Files.exists(CharCheckpoint.vocabularyFile(file)));

    CharModel<?> fresh = CharModel.create(model.config(), new Random(77));
    LayerWeights.load(fresh, file);
    assertEquals(LayerWeights.values(model), LayerWeights.values(fresh));

    CharCheckpoint.Loaded loaded = CharCheckpoint.load(file);
    assertEquals(model.config(), loaded.model().config());
    assertEquals(VOCABULARY, loaded.vocabulary());
    int[][] tokens = {VOCABULARY.encode("The cell reads")};
    assertEquals(logits(model, tokens), logits(loaded.model(), tokens));
  }

  @Test
  void aSymbolOutsideTheVocabularyIsRejected() {
    CharModel<?> model = model(CellType.GRU, 0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> model.step(new int[] {VOCABULARY.size()}, null));
    assertTrue(e.getMessage().contains("outside a vocabulary of"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void greedyGenerationStepByStepMatchesReadingTheWholeTextAgain(CellType cell) {
    CharModel<?> model = model(cell, 4);
    int[] prime = VOCABULARY.encode("th");
    int[] greedy = model.generate(prime, 20, Sampler.greedy(), new Random(1));
    assertArrayEquals(greedyByRereading(model, prime, 20), greedy);
  }

  /** Reads the whole text so far from the zero state at every step, and takes the argmax. */
  private static int[] greedyByRereading(CharModel<?> model, int[] prime, int length) {
    int[] text = Arrays.copyOf(prime, prime.length + length);
    int classes = VOCABULARY.size();
    for (int i = prime.length; i < text.length; i++) {
      double[] logits = logits(model, new int[][] {Arrays.copyOf(text, i)}).toArray();
      text[i] =
          Categorical.argmax(Arrays.copyOfRange(logits, logits.length - classes, logits.length));
    }
    return Arrays.copyOfRange(text, prime.length, text.length);
  }

  private static <S extends RecurrentState<S>> LearningCurve train(
      CharModel<S> model, LanguageModelStreams streams, int steps) {
    return CharTrainer.adam(model, streams, 0.01, 5).train(steps, null, steps, step -> {});
  }

  private static <S extends RecurrentState<S>> Tensor logits(CharModel<S> model, int[][] tokens) {
    return model.forward(tokens, null).logits().value();
  }

  private static CharModel<?> model(CellType cell, int embedding) {
    return CharModel.create(
        new CharModel.Config(cell, VOCABULARY.size(), embedding, 16), new Random(1));
  }
}

package dev.rewind.datasets.text;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The text a character model trains on when it is given no file: English-like sentences about
 * recurrent networks, generated here from a small grammar and word list of this project's own
 * (nothing is copied from anywhere), with a fixed seed, so that it is the same text on every
 * machine and every run.
 *
 * <pre>
 *   paragraph = 3 to 7 sentences, then a newline
 *   sentence  = NP VERB NP [adverbial].  |  NP VERB-INTRANSITIVE [adverbial].
 *             | When NP VERB NP, NP VERB-INTRANSITIVE.  |  If NP VERB-INTRANSITIVE, NP VERB NP.
 *             | clause, CONJUNCTION clause.  |  Does NP VERB-BASE NP?
 *   NP        = determiner [adjective] noun        ("a" becomes "an" before a vowel)
 * </pre>
 *
 * Its regularities are the ones a character model can find in a short training: spelling, word
 * boundaries, agreement ("the cell reads", "does the cell read"), capitals after a full stop, and a
 * few long-range ones (a question mark only after "Does").
 */
public final class DefaultCorpus {
  /** The name of the corpus in messages. */
  public static final String NAME = "the default corpus";

  /** The seed the text is generated with: the year of Elman's "Finding structure in time". */
  public static final long SEED = 1990;

  /** The length of the text: the first paragraph end at or after this many characters. */
  public static final int LENGTH = 60_000;

  private static final List<String> DETERMINERS =
      ImmutableList.of("the", "the", "the", "a", "every", "each", "this", "that");
  private static final List<String> ADJECTIVES =
      ImmutableList.of(
          "small",
          "hidden",
          "old",
          "long",
          "short",
          "quiet",
          "patient",
          "careful",
          "recurrent",
          "tired",
          "clever",
          "slow",
          "simple",
          "deep",
          "new",
          "last",
          "first",
          "whole",
          "little",
          "open",
          "early",
          "empty");
  private static final List<String> NOUNS =
      ImmutableList.of(
          "network",
          "cell",
          "gate",
          "gradient",
          "state",
          "window",
          "letter",
          "word",
          "sentence",
          "memory",
          "model",
          "sampler",
          "tape",
          "weight",
          "sequence",
          "reader",
          "layer",
          "unit",
          "error",
          "signal",
          "story",
          "step",
          "input",
          "output",
          "loss",
          "vector");
  private static final List<String> TRANSITIVE =
      ImmutableList.of(
          "read",
          "remember",
          "forget",
          "carry",
          "predict",
          "keep",
          "record",
          "update",
          "follow",
          "count",
          "write",
          "repeat",
          "pass",
          "scale",
          "clip",
          "learn",
          "guess",
          "hide",
          "find",
          "shape",
          "open",
          "close",
          "send",
          "watch",
          "trust",
          "miss",
          "feed");
  private static final List<String> INTRANSITIVE =
      ImmutableList.of(
          "waits",
          "grows",
          "fades",
          "vanishes",
          "explodes",
          "settles",
          "learns",
          "listens",
          "rests",
          "changes",
          "wanders",
          "returns",
          "sleeps",
          "starts again",
          "stops");
  private static final List<String> ADVERBIALS =
      ImmutableList.of(
          "at every step",
          "through time",
          "one character at a time",
          "again and again",
          "without a sound",
          "by a small amount",
          "for a long time",
          "from the first letter to the last",
          "in the dark",
          "after each window",
          "before the next step",
          "with great care",
          "little by little",
          "all the way back");
  private static final List<String> CONJUNCTIONS =
      ImmutableList.of("and", "but", "while", "because", "so", "until", "although");

  private static final Supplier<String> TEXT =
      Suppliers.memoize(() -> generate(new Random(SEED), LENGTH));

  private DefaultCorpus() {}

  /** The default text: {@link #generate} with {@link #SEED} and {@link #LENGTH}. */
  public static String text() {
    return TEXT.get();
  }

  /** The default text as a corpus called {@link #NAME}. */
  public static Corpus corpus() {
    return Corpus.of(NAME, text());
  }

  /** Paragraphs drawn from {@code random} until the text holds at least {@code length} chars. */
  public static String generate(Random random, int length) {
    checkArgument(length >= 1, "default corpus: length %s must be positive", length);
    StringBuilder text = new StringBuilder(length + 1_000);
    while (text.length() < length) {
      int sentences = 3 + random.nextInt(5);
      for (int i = 0; i < sentences; i++) {
        if (i > 0) {
          text.append(' ');
        }
        text.append(capitalized(sentence(random)));
      }
      text.append('\n');
    }
    return text.toString();
  }

  private static String sentence(Random random) {
    return switch (random.nextInt(8)) {
      case 0, 1 -> transitiveClause(random) + adverbial(random) + ".";
      case 2 -> nounPhrase(random) + " " + pick(INTRANSITIVE, random) + adverbial(random) + ".";
      case 3 ->
          "when "
              + transitiveClause(random)
              + ", "
              + nounPhrase(random)
              + " "
              + pick(INTRANSITIVE, random)
              + ".";
      case 4 ->
          "if "
              + nounPhrase(random)
              + " "
              + pick(INTRANSITIVE, random)
              + ", "
              + transitiveClause(random)
              + ".";
      case 5, 6 ->
          transitiveClause(random)
              + ", "
              + pick(CONJUNCTIONS, random)
              + " "
              + nounPhrase(random)
              + " "
              + pick(INTRANSITIVE, random)
              + ".";
      default ->
          "does "
              + nounPhrase(random)
              + " "
              + pick(TRANSITIVE, random)
              + " "
              + nounPhrase(random)
              + "?";
    };
  }

  private static String transitiveClause(Random random) {
    return nounPhrase(random)
        + " "
        + thirdPerson(pick(TRANSITIVE, random))
        + " "
        + nounPhrase(random);
  }

  private static String nounPhrase(Random random) {
    String determiner = pick(DETERMINERS, random);
    String rest =
        random.nextInt(5) < 2
            ? pick(ADJECTIVES, random) + " " + pick(NOUNS, random)
            : pick(NOUNS, random);
    if (determiner.equals("a") && "aeiou".indexOf(rest.charAt(0)) >= 0) {
      determiner = "an";
    }
    return determiner + " " + rest;
  }

  private static String adverbial(Random random) {
    return random.nextInt(3) == 0 ? " " + pick(ADVERBIALS, random) : "";
  }

  /** {@code read → reads}, {@code pass → passes}, {@code carry → carries}. */
  static String thirdPerson(String verb) {
    if (verb.endsWith("s") || verb.endsWith("sh") || verb.endsWith("ch") || verb.endsWith("x")) {
      return verb + "es";
    }
    if (verb.endsWith("y") && "aeiou".indexOf(verb.charAt(verb.length() - 2)) < 0) {
      return verb.substring(0, verb.length() - 1) + "ies";
    }
    return verb + "s";
  }

  private static String capitalized(String sentence) {
    return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
  }

  private static String pick(List<String> words, Random random) {
    return words.get(random.nextInt(words.size()));
  }
}

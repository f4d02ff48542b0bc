package dev.rewind.datasets.benchmarks;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic finite-state grammar: states joined by edges, each labelled with a symbol, with
 * at most one edge per symbol out of a state. A string belongs to the grammar when its symbols lead
 * from the start state to the final state, which has no edges out. The Reber grammar and its
 * embedded form ({@link Reber}) are two such grammars.
 *
 * <p>Sampling walks from the start, choosing each edge with equal probability among those from
 * which a string within the length bounds can still be finished; with bounds loose enough never to
 * bind, every branch is a fair coin.
 */
public final class Grammar {
  private final String name;
  private final String alphabet;
  private final ImmutableList<ImmutableMap<Character, Integer>> edges;
  private final int start;
  private final int end;

  private Grammar(
      String name,
      String alphabet,
      ImmutableList<ImmutableMap<Character, Integer>> edges,
      int start,
      int end) {
    this.name = name;
    this.alphabet = alphabet;
    this.edges = edges;
    this.start = start;
    this.end = end;
  }

  /** A builder of a grammar over {@code alphabet}, whose order is the one-hot order. */
  public static Builder builder(String name, String alphabet) {
    return new Builder(name, alphabet);
  }

  public String name() {
    return name;
  }

  /** The symbols, in one-hot order. */
  public String alphabet() {
    return alphabet;
  }

  /** The one-hot index of {@code symbol}. */
  public int index(char symbol) {
    int index = alphabet.indexOf(symbol);
    checkArgument(index >= 0, "%s: '%s' is not in the alphabet %s", name, symbol, alphabet);
    return index;
  }

  /** Whether {@code text} leads from the start state exactly to the final state. */
  public boolean accepts(String text) {
    int state = start;
    for (int i = 0; i < text.length(); i++) {
      Integer next = edges.get(state).get(text.charAt(i));
      if (next == null) {
        return false;
      }
      state = next;
    }
    return state == end;
  }

  /**
   * For each prefix {@code text[0 … t]} with t from 0 to {@code length − 2}, the symbols that may
   * follow it: the targets of next-symbol prediction.
   *
   * @throws IllegalArgumentException if {@code text} is not in the grammar
   */
  public List<String> validNextSymbols(String text) {
    checkArgument(accepts(text), "%s: \"%s\" is not in the grammar", name, text);
    List<String> valid = new ArrayList<>();
    int state = start;
    for (int t = 0; t < text.length() - 1; t++) {
      state = edges.get(state).get(text.charAt(t));
      StringBuilder symbols = new StringBuilder();
      edges.get(state).keySet().forEach(symbols::append);
      valid.add(symbols.toString());
    }
    return valid;
  }

  /**
   * Draws {@code count} strings whose lengths lie in {@code [minLength, maxLength]}.
   *
   * @throws IllegalArgumentException if no string of the grammar has such a length
   */
  public List<String> sample(int count, int minLength, int maxLength, Random random) {
    checkArgument(
        minLength <= maxLength,
        "%s: minLength %s is above maxLength %s",
        name,
        minLength,
        maxLength);
    boolean[][] finishable = finishable(maxLength);
    checkArgument(
        reachable(finishable, start, minLength, maxLength),
        "%s: no string has a length in [%s, %s]; the shortest has %s",
        name,
        minLength,
        maxLength,
        shortest());
    List<String> strings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      strings.add(walk(finishable, minLength, maxLength, random));
    }
    return strings;
  }

  private String walk(boolean[][] finishable, int minLength, int maxLength, Random random) {
    StringBuilder text = new StringBuilder();
    int state = start;
    while (state != end) {
      int length = text.length() + 1;
      List<Map.Entry<Character, Integer>> choices = new ArrayList<>();
      for (Map.Entry<Character, Integer> edge : edges.get(state).entrySet()) {
        if (reachable(finishable, edge.getValue(), minLength - length, maxLength - length)) {
          choices.add(edge);
        }
      }
      Map.Entry<Character, Integer> chosen = choices.get(random.nextInt(choices.size()));
      text.append(chosen.getKey());
      state = chosen.getValue();
    }
    return text.toString();
  }

  /** {@code finishable[s][k]}: some path of exactly k symbols leads from state s to the end. */
  private boolean[][] finishable(int maxLength) {
    boolean[][] finishable = new boolean[edges.size()][Math.max(0, maxLength) + 1];
    finishable[end][0] = true;
    for (int k = 1; k <= maxLength; k++) {
      for (int s = 0; s < edges.size(); s++) {
        for (int next : edges.get(s).values()) {
          finishable[s][k] |= finishable[next][k - 1];
        }
      }
    }
    return finishable;
  }

  private static boolean reachable(boolean[][] finishable, int state, int min, int max) {
    for (int k = Math.max(0, min); k <= max && k < finishable[state].length; k++) {
      if (finishable[state][k]) {
        return true;
      }
    }
    return false;
  }

  /** The length of the shortest string, by breadth-first search. */
  private int shortest() {
    int[] distance = new int[edges.size()];
    Arrays.fill(distance, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    distance[start] = 0;
    queue.add(start);
    while (!queue.isEmpty()) {
      int state = queue.remove();
      for (int next : edges.get(state).values()) {
        if (distance[next] < 0) {
          distance[next] = distance[state] + 1;
          queue.add(next);
        }
      }
    }
    return distance[end];
  }

  @Override
  public String toString() {
    return name + " over " + alphabet + " (" + edges.size() + " states)";
  }

  /** Collects edges; states are numbered from 0 as they are first mentioned. */
  public static final class Builder {
    private final String name;
    private final String alphabet;
    private final List<Map<Character, Integer>> edges = new ArrayList<>();

    private Builder(String name, String alphabet) {
      this.name = name;
      this.alphabet = alphabet;
    }

    /** Adds an edge from state {@code from} to state {@code to} reading {@code symbol}. */
    @CanIgnoreReturnValue
    public Builder edge(int from, char symbol, int to) {
      checkArgument(
          alphabet.indexOf(symbol) >= 0,
          "%s: '%s' is not in the alphabet %s",
          name,
          symbol,
          alphabet);
      checkArgument(from >= 0 && to >= 0, "%s: states are numbered from 0", name);
      while (edges.size() <= Math.max(from, to)) {
        edges.add(new LinkedHashMap<>());
      }
      Integer previous = edges.get(from).putIfAbsent(symbol, to);
      checkArgument(
          previous == null,
          "%s: state %s already reads '%s' (to state %s); the grammar must be deterministic",
          name,
          from,
          symbol,
          previous);
      return this;
    }

    /** The grammar whose strings lead from {@code start} to {@code end}. */
    public Grammar build(int start, int end) {
      checkArgument(
          start < edges.size() && end < edges.size(), "%s: unknown start or end state", name);
      checkArgument(
          edges.get(end).isEmpty(), "%s: the final state %s must have no edges out", name, end);
      ImmutableList.Builder<ImmutableMap<Character, Integer>> frozen = ImmutableList.builder();
      for (Map<Character, Integer> out : edges) {
        frozen.add(ImmutableMap.copyOf(out));
      }
      return new Grammar(name, alphabet, frozen.build(), start, end);
    }
  }
}

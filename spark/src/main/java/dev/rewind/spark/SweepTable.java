package dev.rewind.spark;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.Locale;

/**
 * A sweep's result: a row per configuration, in the order they were given.
 *
 * @param rows the rows
 * @param <C> a configuration
 */
public record SweepTable<C extends Serializable>(ImmutableList<SweepRow<C>> rows) {

  /** The row of the configuration named {@code name}. */
  public SweepRow<C> row(String name) {
    return rows.stream()
        .filter(row -> row.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("sweep table: no configuration " + name));
  }

  /**
   * The table as text, a line per configuration, sorted as given:
   *
   * <pre>
   * configuration          final loss  best loss  steps  resumed from  time
   * gru-64-adam-s1             2.1873     2.1873     60             0  1.2 s
   * </pre>
   */
  public String format() {
    int width =
        Math.max(
            "configuration".length(),
            rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
    StringBuilder text = new StringBuilder();
    String header = "%-" + width + "s  %10s  %10s  %6s  %12s  %8s%n";
    text.append(
        String.format(
            Locale.ROOT,
            header,
            "configuration",
            "final loss",
            "best loss",
            "steps",
            "resumed from",
            "time"));
    String line = "%-" + width + "s  %10.4f  %10.4f  %6d  %12d  %6.1f s%n";
    for (SweepRow<C> row : rows) {
      text.append(
          String.format(
              Locale.ROOT,
              line,
              row.name(),
              row.finalValidationLoss(),
              row.bestValidationLoss(),
              row.steps(),
              row.resumedFrom(),
              row.time().toMillis() / 1000.0));
    }
    return text.toString();
  }
}

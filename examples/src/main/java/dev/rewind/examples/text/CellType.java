package dev.rewind.examples.text;

import java.util.Arrays;
import java.util.Locale;

/** The recurrent cell at the heart of a {@link CharModel}. */
public enum CellType {
  /** {@link dev.rewind.layers.lstm.LstmCell}, with a forget gate (PyTorch's {@code nn.LSTM}). */
  LSTM,
  /** {@link dev.rewind.layers.gru.GruCell} (PyTorch's {@code nn.GRU}). */
  GRU,
  /** {@link dev.rewind.layers.elman.ElmanCell} with tanh units: note 000's hidden recurrence. */
  ELMAN;

  /** The name used on the command line: {@code lstm}, {@code gru} or {@code elman}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The cell called {@code label}, in any case.
   *
   * @throws IllegalArgumentException listing the cells there are
   */
  public static CellType parse(String label) {
    for (CellType type : values()) {
      if (type.label().equalsIgnoreCase(label.trim())) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        String.format(Locale.ROOT, "unknown cell '%s': choose one of %s", label, labels()));
  }

  /** {@code lstm, gru, elman}. */
  public static String labels() {
    return String.join(", ", Arrays.stream(values()).map(CellType::label).toList());
  }
}

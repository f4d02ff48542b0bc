package dev.rewind.datasets;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import java.util.Arrays;

/**
 * An immutable {@code [rows, columns]} grid of int indices: the class of each step of a batch of
 * sequences ({@code [batch, time]}), or the token ids of a text window. {@link #toArray} gives the
 * {@code int[][]} that losses over class indices take.
 */
public final class Indices {
  private final int rows;
  private final int columns;
  private final int[] values;

  private Indices(int rows, int columns, int[] values) {
    this.rows = rows;
    this.columns = columns;
    this.values = values;
  }

  /** A copy of {@code grid}, whose rows must all have the same length. */
  public static Indices of(int[][] grid) {
    int columns = grid.length == 0 ? 0 : grid[0].length;
    int[] values = new int[grid.length * columns];
    for (int r = 0; r < grid.length; r++) {
      checkArgument(
          grid[r].length == columns,
          "indices: row %s has %s columns but row 0 has %s",
          r,
          grid[r].length,
          columns);
      System.arraycopy(grid[r], 0, values, r * columns, columns);
    }
    return new Indices(grid.length, columns, values);
  }

  /** One row: the indices of a single sequence. */
  public static Indices row(int... values) {
    return new Indices(1, values.length, values.clone());
  }

  public int rows() {
    return rows;
  }

  public int columns() {
    return columns;
  }

  public int get(int row, int column) {
    checkElementIndex(row, rows, "indices: row");
    checkElementIndex(column, columns, "indices: column");
    return values[row * columns + column];
  }

  /** A copy of one row. */
  public int[] row(int row) {
    checkElementIndex(row, rows, "indices: row");
    return Arrays.copyOfRange(values, row * columns, (row + 1) * columns);
  }

  /** A copy as {@code int[rows][columns]}. */
  public int[][] toArray() {
    int[][] grid = new int[rows][];
    for (int r = 0; r < rows; r++) {
      grid[r] = row(r);
    }
    return grid;
  }

  /** The largest index, or -1 when the grid is empty. */
  public int max() {
    return Arrays.stream(values).max().orElse(-1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Indices other
        && rows == other.rows
        && columns == other.columns
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + columns) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Indices[" + rows + ", " + columns + "] " + Arrays.deepToString(toArray());
  }
}

package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.rewind.autodiff.tensor.DType.isFloat32;
import static dev.rewind.autodiff.tensor.Reductions.innerSize;
import static dev.rewind.autodiff.tensor.Reductions.outerSize;

import dev.rewind.autodiff.internal.Buffers;
import java.util.Arrays;
import java.util.List;

/** Kernels that move elements without arithmetic: broadcast, transpose, concat, slice, gather. */
public final class Layout {
  private Layout() {}

  /** Copies {@code t} out to {@code target}, repeating it along every broadcast dimension. */
  public static Tensor broadcastTo(Tensor t, Shape target) {
    if (isFloat32("broadcastTo", t)) return Layout32.broadcastTo(t, target); // dtype dispatch
    Shape shape = t.shape();
    checkArgument(
        shape.broadcastsTo(target), "broadcastTo: %s does not broadcast to %s", shape, target);
    if (shape.equals(target)) {
      return t;
    }
    // The target is the left operand: it steps everywhere, so each row is one copy or one fill.
    Broadcast plan = Broadcast.of(target, shape, "broadcastTo");
    double[] out = Buffers.doublesToOverwrite(target.size());
    int length = plan.rowLength;
    for (int to = 0; to < out.length; to += length) {
      if (plan.rightSteps) {
        System.arraycopy(t.data, plan.rightOffset(), out, to, length);
      } else {
        Arrays.fill(out, to, to + length, t.data[plan.rightOffset()]);
      }
      plan.nextRow();
    }
    return new Tensor(target, out);
  }

  /** Swaps two axes; {@code transpose(m, 0, 1)} is the matrix transpose. */
  public static Tensor transpose(Tensor t, int axis1, int axis2) {
    if (isFloat32("transpose", t)) return Layout32.transpose(t, axis1, axis2); // dtype dispatch
    Shape shape = t.shape();
    int[] dims = shape.toArray();
    dims[axis1] = shape.dim(axis2);
    dims[axis2] = shape.dim(axis1);
    Shape target = Shape.of(dims);
    int[] sourceStrides = shape.strides();
    int swapped = sourceStrides[axis1];
    sourceStrides[axis1] = sourceStrides[axis2];
    sourceStrides[axis2] = swapped;
    int rank = shape.rank();
    double[] out = Buffers.doublesToOverwrite(t.size());
    int[] index = new int[rank];
    int source = 0;
    for (int i = 0; i < out.length; i++) {
      out[i] = t.data[source];
      for (int axis = rank - 1; axis >= 0; axis--) {
        index[axis]++;
        source += sourceStrides[axis];
        if (index[axis] < dims[axis]) {
          break;
        }
        source -= sourceStrides[axis] * index[axis];
        index[axis] = 0;
      }
    }
    return new Tensor(target, out);
  }

  /** Joins tensors that agree on every axis but {@code axis}. */
  public static Tensor concat(List<Tensor> parts, int axis) {
    if (isFloat32("concat", parts.toArray(Tensor[]::new)))
      return Layout32.concat(parts, axis); // dtype dispatch
    Shape first = parts.get(0).shape();
    int outer = outerSize(first, axis);
    int inner = innerSize(first, axis);
    int total = 0;
    for (Tensor part : parts) {
      total += part.shape().dim(axis);
    }
    double[] out = Buffers.doublesToOverwrite(outer * total * inner);
    int start = 0;
    for (Tensor part : parts) {
      int block = part.shape().dim(axis) * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(part.data, o * block, out, (o * total + start) * inner, block);
      }
      start += part.shape().dim(axis);
    }
    return new Tensor(first.withDim(axis, total), out);
  }

  /** The elements with index in {@code [start, end)} along {@code axis}. */
  public static Tensor slice(Tensor t, int axis, int start, int end) {
    if (isFloat32("slice", t)) return Layout32.slice(t, axis, start, end); // dtype dispatch
    Shape shape = t.shape();
    int outer = outerSize(shape, axis);
    int inner = innerSize(shape, axis);
    int length = shape.dim(axis);
    int block = (end - start) * inner;
    double[] out = Buffers.doublesToOverwrite(outer * block);
    for (int o = 0; o < outer; o++) {
      System.arraycopy(t.data, (o * length + start) * inner, out, o * block, block);
    }
    return new Tensor(shape.withDim(axis, end - start), out);
  }

  /** Surrounds {@code t} with zeros along {@code axis}: the reverse of {@link #slice}. */
  public static Tensor pad(Tensor t, int axis, int before, int after) {
    if (isFloat32("pad", t)) return Layout32.pad(t, axis, before, after); // dtype dispatch
    Shape shape = t.shape();
    int outer = outerSize(shape, axis);
    int inner = innerSize(shape, axis);
    int length = shape.dim(axis);
    int total = before + length + after;
    double[] out = Buffers.doubles(outer * total * inner);
    for (int o = 0; o < outer; o++) {
      System.arraycopy(
          t.data, o * length * inner, out, (o * total + before) * inner, length * inner);
    }
    return new Tensor(shape.withDim(axis, total), out);
  }

  /** Rows {@code table[indices[i]]}, stacked: shape {@code [indices.length, rest of table]}. */
  public static Tensor gatherRows(Tensor table, int[] indices) {
    if (isFloat32("gatherRows", table))
      return Layout32.gatherRows(table, indices); // dtype dispatch
    int rows = table.shape().dim(0);
    int width = table.size() / Math.max(1, rows);
    double[] out = Buffers.doublesToOverwrite(indices.length * width);
    for (int i = 0; i < indices.length; i++) {
      checkRowIndex(indices[i], rows, i);
      System.arraycopy(table.data, indices[i] * width, out, i * width, width);
    }
    return new Tensor(table.shape().withDim(0, indices.length), out);
  }

  /**
   * Adds row {@code i} of {@code rows} into row {@code indices[i]} of a zero table of {@code
   * rowCount} rows.
   */
  public static Tensor scatterAddRows(Tensor rows, int[] indices, int rowCount) {
    if (isFloat32("scatterAddRows", rows))
      return Layout32.scatterAddRows(rows, indices, rowCount); // dtype dispatch
    // The width comes from the shape: with no indices there are no rows to divide by.
    int width = innerSize(rows.shape(), 0);
    double[] out = Buffers.doubles(rowCount * width);
    for (int i = 0; i < indices.length; i++) {
      checkRowIndex(indices[i], rowCount, i);
      int to = indices[i] * width;
      for (int j = 0; j < width; j++) {
        out[to + j] += rows.data[i * width + j];
      }
    }
    return new Tensor(rows.shape().withDim(0, rowCount), out);
  }

  /** A {@code [indices.length, classes]} matrix with a 1 in column {@code indices[i]} of row i. */
  public static Tensor oneHot(int[] indices, int classes) {
    double[] out = Buffers.doubles(indices.length * classes);
    for (int i = 0; i < indices.length; i++) {
      checkArgument(
          indices[i] >= 0 && indices[i] < classes,
          "oneHot: index %s at position %s is out of range [0, %s)",
          indices[i],
          i,
          classes);
      out[i * classes + indices[i]] = 1.0;
    }
    return new Tensor(Shape.of(indices.length, classes), out);
  }

  /**
   * A {@code [batch, time, classes]} tensor with a 1 at {@code [b, t, indices[b][t]]} and zeros
   * elsewhere. {@code indices} must be a rectangular {@code [batch][time]} array (every row the
   * same length) and every index in {@code [0, classes)}: there is no padding index, since a padded
   * step is excluded by a loss's mask, not by its target.
   */
  public static Tensor oneHot(int[][] indices, int classes) {
    checkArgument(classes >= 1, "oneHot: classes is %s; it must be at least 1", classes);
    int batch = indices.length;
    int time = batch == 0 ? 0 : indices[0].length;
    double[] out = Buffers.doubles(batch * time * classes);
    for (int b = 0; b < batch; b++) {
      checkArgument(
          indices[b].length == time,
          "oneHot: row %s has %s steps but row 0 has %s; indices must be a rectangular"
              + " [batch][time] array",
          b,
          indices[b].length,
          time);
      for (int t = 0; t < time; t++) {
        int index = indices[b][t];
        checkArgument(
            index >= 0 && index < classes,
            "oneHot: index %s at [%s, %s] is outside [0, %s)",
            index,
            b,
            t,
            classes);
        out[(b * time + t) * classes + index] = 1.0;
      }
    }
    return new Tensor(Shape.of(batch, time, classes), out);
  }

  /** {@code a} where {@code condition} is non-zero, else {@code b}; all three broadcast. */
  public static Tensor where(Tensor condition, Tensor a, Tensor b) {
    if (isFloat32("where", a, b)) return Layout32.where(condition, a, b); // dtype dispatch
    // A condition or mask may have either dtype: only whether an element is zero matters.
    condition = condition.to(DType.FLOAT64);
    Shape shape = condition.shape().broadcast(a.shape(), "where").broadcast(b.shape(), "where");
    double[] c = broadcastTo(condition, shape).data;
    double[] x = broadcastTo(a, shape).data;
    double[] y = broadcastTo(b, shape).data;
    double[] out = Buffers.doublesToOverwrite(c.length);
    for (int i = 0; i < out.length; i++) {
      out[i] = c[i] != 0 ? x[i] : y[i];
    }
    return new Tensor(shape, out);
  }

  /** The elements of {@code t} where {@code mask} (same shape) is non-zero, as a vector. */
  public static Tensor maskedSelect(Tensor t, Tensor mask) {
    if (isFloat32("maskedSelect", t)) return Layout32.maskedSelect(t, mask); // dtype dispatch
    mask = mask.to(DType.FLOAT64);
    int count = 0;
    for (double m : mask.data) {
      count += m != 0 ? 1 : 0;
    }
    double[] out = Buffers.doubles(count);
    for (int i = 0, j = 0; i < t.data.length; i++) {
      if (mask.data[i] != 0) {
        out[j++] = t.data[i];
      }
    }
    return new Tensor(Shape.of(count), out);
  }

  /** Places {@code values} at the non-zero positions of {@code mask}, zeros elsewhere. */
  public static Tensor maskedScatter(Tensor values, Tensor mask) {
    if (isFloat32("maskedScatter", values))
      return Layout32.maskedScatter(values, mask); // dtype dispatch
    mask = mask.to(DType.FLOAT64);
    double[] out = Buffers.doubles(mask.size());
    for (int i = 0, j = 0; i < out.length; i++) {
      if (mask.data[i] != 0) {
        out[i] = values.data[j++];
      }
    }
    return new Tensor(mask.shape(), out);
  }

  private static void checkRowIndex(int index, int rows, int position) {
    checkArgument(
        index >= 0 && index < rows,
        "gather: index %s at position %s is out of range [0, %s)",
        index,
        position,
        rows);
  }
}

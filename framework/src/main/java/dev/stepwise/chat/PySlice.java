package dev.stepwise.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Python's extended slice {@code seq[start:stop:step]} on a list, an array or a string, with
 * CPython's index rules ({@code slice.indices}): negative indices count from the end, out-of-range
 * bounds are clamped, a negative step walks backwards ({@code messages[::-1]} reverses), a step
 * of 0 is an error. Jinjava parses only {@code [start:stop]}; {@link TemplateSource} rewrites the
 * three-part form into a call that reaches this class through {@link PyMethodResolver}.
 */
final class PySlice {
  private PySlice() {}

  /**
   * @param seq a {@link List}, another {@link Iterable}, an object array or a {@link CharSequence}
   * @param start the start index or null
   * @param stop the stop index or null
   * @param step the step or null (1)
   * @return a new list, or a string for a string
   * @throws IllegalArgumentException for a zero step, a non-integer bound or a non-sequence
   */
  static Object slice(Object seq, Object start, Object stop, Object step) {
    int st = step == null ? 1 : index(step);
    if (st == 0) {
      throw new IllegalArgumentException("ValueError: slice step cannot be zero");
    }
    if (seq instanceof CharSequence cs) {
      StringBuilder b = new StringBuilder();
      int n = cs.length();
      int[] r = bounds(n, start, stop, st);
      for (int i = r[0]; st > 0 ? i < r[1] : i > r[1]; i += st) {
        b.append(cs.charAt(i));
      }
      return b.toString();
    }
    List<?> list;
    if (seq instanceof List<?> l) {
      list = l;
    } else if (seq instanceof Object[] a) {
      list = Arrays.asList(a);
    } else if (seq instanceof Iterable<?> it) {
      List<Object> copy = new ArrayList<>();
      it.forEach(copy::add);
      list = copy;
    } else {
      throw new IllegalArgumentException("TypeError: '" + (seq == null ? "None" : seq.getClass().getSimpleName()) + "' object is not subscriptable");
    }
    int[] r = bounds(list.size(), start, stop, st);
    List<Object> out = new ArrayList<>();
    for (int i = r[0]; st > 0 ? i < r[1] : i > r[1]; i += st) {
      out.add(list.get(i));
    }
    return out;
  }

  /** CPython's {@code PySlice_AdjustIndices}: {start, stop} for a sequence of length n. */
  private static int[] bounds(int n, Object start, Object stop, int step) {
    int lo = step < 0 ? -1 : 0;
    int hi = step < 0 ? n - 1 : n;
    int s = start == null ? (step < 0 ? hi : lo) : clamp(index(start), n, lo, hi);
    int e = stop == null ? (step < 0 ? lo : hi) : clamp(index(stop), n, lo, hi);
    return new int[] {s, e};
  }

  private static int clamp(int i, int n, int lo, int hi) {
    if (i < 0) {
      i += n;
      return Math.max(i, lo);
    }
    return Math.min(i, hi);
  }

  private static int index(Object o) {
    if (o instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
      return num.intValue();
    }
    throw new IllegalArgumentException("TypeError: slice indices must be integers or None, got " + o);
  }
}

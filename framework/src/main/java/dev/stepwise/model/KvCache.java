package dev.stepwise.model;

/**
 * Keys and values of the positions a {@link CausalLM} has already decoded, for B rows.
 *
 * <p>Rows can be re-indexed between decode calls: {@link #repeatRows} after a prefill gives each
 * prompt {@code n} independent continuations that share one prefix computation, and {@link
 * #selectRows} drops finished rows so they stop costing compute.
 */
public interface KvCache extends AutoCloseable {
  /** @return the current number of rows B */
  int batch();

  /** @return positions filled so far (the same for every row; left padding included) */
  int length();

  /** @return the maximum number of positions */
  int capacity();

  /**
   * Repeats every row {@code n} times in place: row i becomes rows i·n … i·n+n−1 (a {@link
   * #selectRows} with each index repeated).
   *
   * @throws IllegalArgumentException when n &lt; 1
   */
  default void repeatRows(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("repeatRows needs n >= 1, got " + n);
    }
    int[] rows = new int[batch() * n];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i / n;
    }
    selectRows(rows);
  }

  /**
   * Re-indexes rows in place: new row j is old row {@code rows[j]} (repeats allowed).
   *
   * @throws IllegalArgumentException when a row index is out of range or {@code rows} is empty
   */
  void selectRows(int[] rows);

  /** Frees the cache's arrays. */
  @Override
  void close();
}

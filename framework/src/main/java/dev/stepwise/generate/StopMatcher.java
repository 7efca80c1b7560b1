package dev.stepwise.generate;

import dev.stepwise.model.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental detokenisation and stop-string search for one completion.
 *
 * <p>Each new token decodes only a short window (vLLM's prefix/read-offset scheme): the text of
 * tokens [prefixOffset, end) minus the text of [prefixOffset, readOffset) is the new text, kept
 * back while it ends in U+FFFD (an incomplete multi-byte character). Only the last {@code
 * maxStopLength − 1 + new} characters are searched, so the per-token cost does not grow with the
 * completion.
 */
final class StopMatcher {
  private final Tokenizer tokenizer;
  private final List<String> stops;
  private final int maxStop;
  private final StringBuilder text = new StringBuilder();
  private int prefixOffset;
  private int readOffset;
  private int cut = -1;

  StopMatcher(Tokenizer tokenizer, List<String> stops) {
    this.tokenizer = tokenizer;
    this.stops = stops;
    this.maxStop = stops.stream().mapToInt(String::length).max().orElse(0);
  }

  /**
   * Consumes the newest token.
   *
   * @param ids all generated ids so far (only the first {@code count} are valid)
   * @param count number of generated ids, the newest last
   * @return true when a stop string now occurs in the text
   */
  boolean accept(int[] ids, int count) {
    String prefix = tokenizer.decodeContinuation(Arrays.copyOfRange(ids, prefixOffset, readOffset));
    String full = tokenizer.decodeContinuation(Arrays.copyOfRange(ids, prefixOffset, count));
    if (full.length() <= prefix.length() || full.endsWith("\uFFFD")) {
      return false;
    }
    int before = text.length();
    text.append(full, prefix.length(), full.length());
    prefixOffset = readOffset;
    readOffset = count;
    int from = Math.max(0, before - maxStop + 1);
    int best = -1;
    for (String s : stops) {
      int at = text.indexOf(s, from);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    if (best >= 0) {
      cut = best;
      return true;
    }
    return false;
  }

  /** @return the text before the matched stop string; only valid after {@link #accept} was true */
  String textBeforeStop() {
    return text.substring(0, cut);
  }
}

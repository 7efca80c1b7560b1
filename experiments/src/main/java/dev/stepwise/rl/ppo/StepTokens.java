package dev.stepwise.rl.ppo;

import dev.stepwise.model.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Maps character offsets in a completion's text to the index of the generated token that
 * completes them: step i's reward goes on the first token after which the decoded prefix
 * reaches the step's end offset ({@link dev.stepwise.reward.data.StepBoundaries#ends}). For the
 * character tokenizer this is offset - 1; for a BPE tokenizer, the token containing the step's
 * last character.
 */
public final class StepTokens {
  private StepTokens() {}

  /**
   * @param tok the policy's tokenizer
   * @param tokenIds the generated tokens (EOS included), length L &ge; 1
   * @param charEnds exclusive end offsets of the steps in the decoded text, increasing
   * @return per step, a token index in [0, L); an offset beyond the decoded text maps to L - 1
   */
  public static int[] ends(Tokenizer tok, int[] tokenIds, List<Integer> charEnds) {
    int[] out = new int[charEnds.size()];
    int t = 0;
    int len = -1;
    for (int i = 0; i < out.length; i++) {
      int e = charEnds.get(i);
      while (t < tokenIds.length) {
        if (len < 0) {
          len = tok.decodeContinuation(Arrays.copyOf(tokenIds, t + 1)).length();
        }
        if (len >= e) {
          break;
        }
        t++;
        len = -1;
      }
      out[i] = Math.min(t, tokenIds.length - 1);
    }
    return out;
  }
}

package dev.stepwise.preference.dpo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sft.SftBatch;
import dev.stepwise.sft.SftData;
import dev.stepwise.sft.SftExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concatenated (2B, T) forward against separate chosen and rejected forwards, and the
 * masking against sums taken by hand over each unpadded sequence's completion tokens.
 */
class SequenceLogProbsTest {
  @TempDir Path tmp;

  @Test
  void concatenatedForwardEqualsSeparateForwardsAndHandSums() throws Exception {
    List<PreferencePair> pairs = TinyPolicy.additionPairs(5);
    CharTokenizer tok = TinyPolicy.tokenizer(pairs);
    Path dir = TinyPolicy.checkpoint(tmp.resolve("init"), tok, 11);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = ModelCheckpoint.load(dir, m);
      PairData data = PairData.of(pairs, tok, 64);
      int[] idx = {0, 1, 2, 3, 4};
      PairBatch batch = data.collate(idx, m);
      assertEquals(new Shape(10, batch.sequences().inputIds().getShape().get(1)), batch.sequences().inputIds().getShape());
      float[] joint = SequenceLogProbs.of(model, batch.sequences(), false, m).toFloatArray();

      float[] chosen = separate(model, pairs, tok, true, m);
      float[] rejected = separate(model, pairs, tok, false, m);
      for (int i = 0; i < 5; i++) {
        assertEquals(chosen[i], joint[i], 1e-4, "chosen " + i);
        assertEquals(rejected[i], joint[5 + i], 1e-4, "rejected " + i);
        assertEquals(byHand(model, pairs.get(i).prompt(), pairs.get(i).chosen(), tok, m), joint[i], 1e-4, "hand chosen " + i);
        assertEquals(byHand(model, pairs.get(i).prompt(), pairs.get(i).rejected(), tok, m), joint[5 + i], 1e-4, "hand rejected " + i);
      }
      // The rejected texts differ in length, so the halves really were padded differently.
      assertNotEquals(tok.encode(pairs.get(0).rejected()).length, tok.encode(pairs.get(1).rejected()).length);

      float[] avg = SequenceLogProbs.of(model, batch.sequences(), true, m).toFloatArray();
      int n0 = tok.encode(pairs.get(0).chosen()).length + 1; // completion tokens incl. EOS
      assertEquals(joint[0] / n0, avg[0], 1e-5, "IPO's per-token mean");
    }
  }

  /** One side alone, as its own batch (its own padding). */
  private static float[] separate(CausalLM model, List<PreferencePair> pairs, CharTokenizer tok, boolean chosen, NDManager m) {
    List<SftExample> ex = new ArrayList<>();
    for (PreferencePair p : pairs) {
      int[] c = tok.encode(chosen ? p.chosen() : p.rejected());
      int[] withEos = Arrays.copyOf(c, c.length + 1);
      withEos[c.length] = tok.eosId();
      ex.add(new SftExample(tok.encode(p.prompt()), withEos));
    }
    SftBatch b = new SftData(ex, 64, tok.padId()).collate(new int[] {0, 1, 2, 3, 4}, m);
    return SequenceLogProbs.of(model, b, false, m).toFloatArray();
  }

  /** Σ over completion tokens (and EOS) of log p(token | everything before), one unpadded row. */
  private static double byHand(CausalLM model, String prompt, String completion, CharTokenizer tok, NDManager m) {
    int[] p = tok.encode(prompt);
    int[] c = tok.encode(completion);
    int[] seq = new int[p.length + c.length + 1];
    System.arraycopy(p, 0, seq, 0, p.length);
    System.arraycopy(c, 0, seq, p.length, c.length);
    seq[seq.length - 1] = tok.eosId();
    long[] in = new long[seq.length - 1];
    for (int i = 0; i < in.length; i++) {
      in[i] = seq[i];
    }
    NDArray logits = model.logits(model.hiddenStates(m.create(in, new Shape(1, in.length)), null));
    float[] lp = logits.logSoftmax(-1).toFloatArray();
    int v = (int) logits.getShape().get(2);
    double sum = 0;
    for (int k = p.length - 1; k < in.length; k++) {
      sum += lp[k * v + seq[k + 1]];
    }
    return sum;
  }
}

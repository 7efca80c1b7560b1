package dev.stepwise.preference.dpo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.preference.loss.HingeLoss;
import dev.stepwise.preference.loss.IpoLoss;
import dev.stepwise.preference.loss.SigmoidLoss;
import dev.stepwise.train.StepOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The objective's loss and TRL metrics on a real tiny GPT-2, against values derived by hand. */
class DpoObjectiveTest {
  @TempDir Path tmp;

  static double v(NDArray a) {
    return a.toFloatArray()[0];
  }

  @Test
  void metricsAndLossesFollowTheirDefinitions() throws Exception {
    List<PreferencePair> pairs = TinyPolicy.additionPairs(4);
    CharTokenizer tok = TinyPolicy.tokenizer(pairs);
    Path init = TinyPolicy.checkpoint(tmp.resolve("init"), tok, 5);
    Path other = TinyPolicy.checkpoint(tmp.resolve("other"), tok, 6);
    int[] idx = {0, 1, 2, 3};
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM policy = ModelCheckpoint.load(init, m);
      CausalLM sameRef = ModelCheckpoint.load(init, m);
      sameRef.setTrainable(false);
      PairData data = PairData.of(pairs, tok, 64);
      PairBatch batch = data.collate(idx, m);

      // Reference = initial policy: z = 0, so loss = ln 2 and every reward is 0.
      StepOutput out = new DpoObjective(policy, sameRef, new SigmoidLoss(0), 0.1, 0).forward(batch, m);
      assertEquals(Math.log(2), v(out.loss()), 1e-6);
      assertEquals(0.0, v(out.metrics().get("rewards/chosen")), 1e-6);
      assertEquals(0.0, v(out.metrics().get("rewards/margins")), 1e-6);
      assertEquals(0.0, v(out.metrics().get("rewards/accuracies")), 0.0, "strict >: ties are not accurate");
      assertEquals(List.of("rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected"),
          List.copyOf(out.metrics().keySet()));

      // A different reference: check each metric against the sequence log-probs.
      CausalLM ref = ModelCheckpoint.load(other, m);
      ref.setTrainable(false);
      float[] pol = SequenceLogProbs.of(policy, batch.sequences(), false, m).toFloatArray();
      float[] rf = SequenceLogProbs.of(ref, batch.sequences(), false, m).toFloatArray();
      double beta = 0.2;
      double lossSum = 0;
      double rc = 0;
      double rr = 0;
      double acc = 0;
      double lc = 0;
      for (int i = 0; i < 4; i++) {
        double z = (pol[i] - pol[4 + i]) - (rf[i] - rf[4 + i]);
        lossSum += Math.log1p(Math.exp(-beta * z));
        double ci = beta * (pol[i] - rf[i]);
        double ri = beta * (pol[4 + i] - rf[4 + i]);
        rc += ci;
        rr += ri;
        acc += ci > ri ? 1 : 0;
        lc += pol[i];
      }
      StepOutput o2 = new DpoObjective(policy, ref, new SigmoidLoss(0), beta, 0).forward(batch, m);
      Map<String, NDArray> mt = o2.metrics();
      assertEquals(lossSum / 4, v(o2.loss()), 1e-4);
      assertEquals(rc / 4, v(mt.get("rewards/chosen")), 1e-4);
      assertEquals(rr / 4, v(mt.get("rewards/rejected")), 1e-4);
      assertEquals((rc - rr) / 4, v(mt.get("rewards/margins")), 1e-4);
      assertEquals(acc / 4, v(mt.get("rewards/accuracies")), 1e-6);
      assertEquals(lc / 4, v(mt.get("logps/chosen")), 1e-3);

      // Precomputed reference values give the same loss as the in-step reference forward.
      float[][] pre = ReferenceLogProbs.compute(ref, data, 4, false);
      PairBatch withRef = PairData.of(pairs, tok, 64).withReference(pre[0], pre[1]).collate(idx, m);
      StepOutput o3 = new DpoObjective(policy, null, new SigmoidLoss(0), beta, 0).forward(withRef, m);
      assertEquals(v(o2.loss()), v(o3.loss()), 1e-6);

      // RPO: + alpha * mean NLL per chosen completion token.
      StepOutput rpo = new DpoObjective(policy, ref, new SigmoidLoss(0), beta, 0.5).forward(batch, m);
      double nll = v(rpo.metrics().get("nll_loss"));
      int tokens = 0;
      for (PreferencePair p : pairs) {
        tokens += tok.encode(p.chosen()).length + 1;
      }
      double chosenSum = 0;
      for (int i = 0; i < 4; i++) {
        chosenSum += pol[i];
      }
      assertEquals(-chosenSum / tokens, nll, 1e-4);
      assertEquals(v(o2.loss()) + 0.5 * nll, v(rpo.loss()), 1e-4);

      // IPO uses per-token means; hinge on the summed logits.
      float[] polAvg = SequenceLogProbs.of(policy, batch.sequences(), true, m).toFloatArray();
      float[] refAvg = SequenceLogProbs.of(ref, batch.sequences(), true, m).toFloatArray();
      double ipo = 0;
      double hinge = 0;
      for (int i = 0; i < 4; i++) {
        double za = (polAvg[i] - polAvg[4 + i]) - (refAvg[i] - refAvg[4 + i]);
        ipo += Math.pow(za - 1 / (2 * beta), 2);
        double zs = (pol[i] - pol[4 + i]) - (rf[i] - rf[4 + i]);
        hinge += Math.max(0, 1 - beta * zs);
      }
      assertEquals(ipo / 4, v(new DpoObjective(policy, ref, new IpoLoss(true), beta, 0).forward(batch, m).loss()), 1e-3);
      // IPO on sums (dpo.ipo_average_log_probs = false, the LPR reference's models/llama.py)
      double ipoSum = 0;
      for (int i = 0; i < 4; i++) {
        double zs = (pol[i] - pol[4 + i]) - (rf[i] - rf[4 + i]);
        ipoSum += Math.pow(zs - 1 / (2 * beta), 2);
      }
      double ipoOnSums = v(new DpoObjective(policy, ref, new IpoLoss(false), beta, 0).forward(batch, m).loss());
      assertEquals(ipoSum / 4, ipoOnSums, 1e-3 * Math.max(1, ipoSum / 4));
      assertTrue(Math.abs(ipoSum - ipo) > 1e-2 * Math.max(1, ipo), "sums and means must give different losses here");
      assertEquals(hinge / 4, v(new DpoObjective(policy, ref, new HingeLoss(), beta, 0).forward(batch, m).loss()), 1e-4);
    }
  }
}

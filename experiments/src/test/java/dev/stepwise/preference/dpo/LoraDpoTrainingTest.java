package dev.stepwise.preference.dpo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.model.lora.LoraConfig;
import dev.stepwise.model.lora.LoraModel;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.preference.loss.SigmoidLoss;
import dev.stepwise.train.ParameterCheckpoint;
import dev.stepwise.train.TinyModels;
import dev.stepwise.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA-DPO of the real stories260K with no second model: the reference is the policy's own
 * weights with the adapter off, both live (reference forwards every step) and through the
 * reference-logps cache (precomputed once from the same weights). The loss starts at ln 2
 * (adapter B = 0: policy = reference) and falls, the adapter moves, the base stays bit-identical,
 * and the reference's log-probabilities after training are those of the untouched base.
 */
class LoraDpoTrainingTest {
  @TempDir Path tmp;

  @Test
  void loraDpoUsesTheAdapterOffBaseAsReference() throws Exception {
    Path dir = dev.stepwise.model.SharedModels.stories260k();
    List<PreferencePair> pairs = TinyPolicy.additionPairs(16);
    Tokenizer tok = Tokenizers.load(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      LoraModel policy = new LoraModel(ModelCheckpoint.load(dir, m),
          new LoraConfig(8, 16.0, 0.0, List.of("q_proj", "v_proj", "o_proj", "down_proj"), null, null, null, null, null),
          dir.toString(), 2);
      CausalLM reference = policy.reference();
      assertSame(policy.base().parameters(), reference.parameters(), "the reference shares the base's arrays: no copy");
      Map<String, float[]> baseBefore = TinyModels.snapshot(policy.base().parameters());
      Map<String, float[]> before = TinyModels.snapshot(policy.parameters());
      float[][] refBefore = ReferenceLogProbs.compute(reference, PairData.of(pairs, tok, 64), 8, false);

      // the cached path: reference log-probs precomputed from the adapter-off view, no model loaded
      PairData cached = PairData.of(pairs, tok, 64);
      DpoJob.precompute(dir, reference, tmp.resolve("cache"), cached, 8, false, m);
      assertTrue(cached.hasReference());

      var tracker = new TinyModels.RecordingTracker();
      new Trainer<PairBatch>(
              TinyModels.trainerConfig("max_steps = 10, per_device_train_batch_size = 8, logging_steps = 1, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 1e-2, lr_scheduler_type = constant, weight_decay = 0.0"),
              policy.parameters(),
              new DpoObjective(policy, reference, new SigmoidLoss(0), 0.5, 0),
              PairData.of(pairs, tok, 64),
              new ParameterCheckpoint(policy.parameters()),
              tmp.resolve("run"))
          .withTrackers(List.of(tracker))
          .train();
      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertEquals(Math.log(2), loss.get(0), 1e-4, "step 1 starts at ln 2 (B = 0: policy = reference)");
      double last = loss.subList(loss.size() - 3, loss.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      assertTrue(last < 0.8 * loss.get(0), "loss did not fall: " + loss);
      Map<String, float[]> after = TinyModels.snapshot(policy.parameters());
      for (String name : before.keySet()) {
        if (name.endsWith("lora_B.weight")) {
          assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
        }
      }
      Map<String, float[]> baseAfter = TinyModels.snapshot(policy.base().parameters());
      for (String name : baseBefore.keySet()) {
        assertArrayEquals(baseBefore.get(name), baseAfter.get(name), "base " + name + " changed");
      }
      float[][] refAfter = ReferenceLogProbs.compute(reference, PairData.of(pairs, tok, 64), 8, false);
      float[][] policyAfter = ReferenceLogProbs.compute(policy, PairData.of(pairs, tok, 64), 8, false);
      double moved = 0;
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < pairs.size(); i++) {
          // sums of ~50 token log-probs: 1e-4 covers the Java decoder rounding differently once C2 compiles it
          assertEquals(refBefore[s][i], refAfter[s][i], 1e-4, "the reference (adapter off) still computes the base");
          moved = Math.max(moved, Math.abs(policyAfter[s][i] - refAfter[s][i]));
        }
      }
      assertTrue(moved > 1e-2, "the policy (adapter on) moved away from the reference: " + moved);
    }
  }
}

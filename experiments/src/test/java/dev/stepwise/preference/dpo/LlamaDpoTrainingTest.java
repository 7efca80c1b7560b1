package dev.stepwise.preference.dpo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
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
 * DPO of the real pretrained stories260K (Llama architecture, BPE tokenizer) against a frozen
 * copy of itself: the loss starts at ln 2 and falls, every policy parameter moves, the reference
 * stays as loaded (its no-grad log-probs run in the Java decoder on a snapshot that the policy's
 * updates must not refresh wrongly).
 */
class LlamaDpoTrainingTest {
  @TempDir Path tmp;

  @Test
  void dpoTrainsAPretrainedLlamaPolicy() throws Exception {
    Path dir = dev.stepwise.model.SharedModels.stories260k();
    List<PreferencePair> pairs = TinyPolicy.additionPairs(32);
    Tokenizer tok = Tokenizers.load(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM policy = ModelCheckpoint.load(dir, m);
      CausalLM reference = ModelCheckpoint.load(dir, m);
      reference.setTrainable(false);
      Map<String, float[]> before = TinyModels.snapshot(policy.parameters());
      Map<String, float[]> refBefore = TinyModels.snapshot(reference.parameters());
      var tracker = new TinyModels.RecordingTracker();
      Trainer<PairBatch> trainer = new Trainer<>(
              TinyModels.trainerConfig("max_steps = 16, per_device_train_batch_size = 8, logging_steps = 1, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 3e-3, lr_scheduler_type = constant, weight_decay = 0.0"),
              policy.parameters(),
              new DpoObjective(policy, reference, new SigmoidLoss(0), 0.5, 0),
              PairData.of(pairs, tok, 64),
              new ParameterCheckpoint(policy.parameters()),
              tmp.resolve("run"))
          .withTrackers(List.of(tracker));
      trainer.train();
      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertEquals(Math.log(2), loss.get(0), 1e-4, "step 1 starts at ln 2 (policy = reference)");
      double last = loss.subList(loss.size() - 4, loss.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      assertTrue(last < 0.5 * loss.get(0), "loss did not fall: " + loss);
      Map<String, float[]> after = TinyModels.snapshot(policy.parameters());
      for (String name : before.keySet()) {
        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
      }
      Map<String, float[]> refAfter = TinyModels.snapshot(reference.parameters());
      for (String name : refBefore.keySet()) {
        assertArrayEquals(refBefore.get(name), refAfter.get(name), "reference " + name + " changed");
      }
    }
  }
}

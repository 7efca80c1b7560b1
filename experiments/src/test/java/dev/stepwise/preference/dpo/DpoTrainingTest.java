package dev.stepwise.preference.dpo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.data.PairSplit;
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
 * DPO training of a real tiny GPT-2 with the generic trainer: the loss falls, the margins rise,
 * held-out pairs are logged under {@code eval/}, every policy parameter moves and no reference
 * parameter does.
 */
class DpoTrainingTest {
  @TempDir Path tmp;

  @Test
  void dpoTrainsThePolicyAndLeavesTheReferenceAlone() throws Exception {
    List<PreferencePair> pairs = TinyPolicy.additionPairs(40);
    CharTokenizer tok = TinyPolicy.tokenizer(pairs);
    Path init = TinyPolicy.checkpoint(tmp.resolve("init"), tok, 9);
    PairSplit split = PairSplit.byId(pairs, 0.2, 1);
    assertFalse(split.eval().isEmpty());
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM policy = ModelCheckpoint.load(init, m);
      CausalLM reference = ModelCheckpoint.load(init, m);
      reference.setTrainable(false);
      Map<String, float[]> before = TinyModels.snapshot(policy.parameters());
      Map<String, float[]> refBefore = TinyModels.snapshot(reference.parameters());
      var tracker = new TinyModels.RecordingTracker();
      Trainer<PairBatch> trainer = new Trainer<>(
              TinyModels.trainerConfig("max_steps = 24, per_device_train_batch_size = 8, logging_steps = 1, eval_steps = 12, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 3e-3, lr_scheduler_type = constant, weight_decay = 0.0"),
              policy.parameters(),
              new DpoObjective(policy, reference, new SigmoidLoss(0), 0.5, 0),
              PairData.of(split.train(), tok, 64),
              new ParameterCheckpoint(policy.parameters()),
              tmp.resolve("run"))
          .withEvalData(PairData.of(split.eval(), tok, 64))
          .withTrackers(List.of(tracker));
      trainer.train();

      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertEquals(Math.log(2), loss.get(0), 1e-5, "step 1 starts at ln 2 (policy = reference)");
      assertTrue(mean(loss.subList(loss.size() - 4, loss.size())) < 0.5 * loss.get(0), "loss did not fall: " + loss);
      List<Double> margins = new ArrayList<>(tracker.series("rewards/margins").values());
      assertTrue(mean(margins.subList(margins.size() - 4, margins.size())) > margins.get(0) + 1.0, "margins did not rise: " + margins);
      List<Double> evalAcc = new ArrayList<>(tracker.series("eval/rewards/accuracies").values());
      assertEquals(2, evalAcc.size(), "eval at steps 12 and 24: " + evalAcc);
      assertTrue(evalAcc.get(1) > 0.5, "held-out reward accuracy " + evalAcc);
      assertTrue(tracker.series("eval/loss").size() == 2 && tracker.series("eval/rewards/margins").size() == 2);

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

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}

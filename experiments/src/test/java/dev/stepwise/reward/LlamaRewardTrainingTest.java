package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.SharedModels;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.reward.data.RewardData;
import dev.stepwise.reward.data.RewardExample;
import dev.stepwise.reward.eval.StepScorer;
import dev.stepwise.reward.loss.ScalarBceObjective;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.reward.model.StepScore;
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
 * A process reward model on the real pretrained stories260K backbone (Llama architecture, its
 * BPE tokenizer): the soft-label PRM loss falls, every backbone and head parameter moves, and the
 * saved model (a Hugging Face Llama directory plus the head) reloads to the same step scores.
 */
class LlamaRewardTrainingTest {
  @TempDir Path out;

  @Test
  void prmOnAPretrainedLlamaBackbone() throws Exception {
    Path dir = SharedModels.stories260k();
    Tokenizer tok = Tokenizers.load(dir);
    HeadSpec spec = new HeadSpec("scalar", 1, "prm", "soft");
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM lm = ModelCheckpoint.load(dir, m);
      RewardModel model = RewardModel.create(lm, spec, m, 11);
      RewardData data = RewardData.of(new RewardTrainingTest().responses(true), tok, 128, spec.numClasses());
      Map<String, float[]> before = TinyModels.snapshot(model.parameters());
      var tracker = new TinyModels.RecordingTracker();
      new Trainer<>(
              TinyModels.trainerConfig("max_steps = 40, per_device_train_batch_size = 8, logging_steps = 10, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 3e-3, lr_scheduler_type = constant, weight_decay = 0.0"),
              model.parameters(), new ScalarBceObjective(model), data, new ParameterCheckpoint(model.parameters()), out.resolve("run"))
          .withTrackers(List.of(tracker))
          .train();
      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertTrue(loss.get(loss.size() - 1) < 0.7 * loss.get(0), "loss did not fall: " + loss);
      Map<String, float[]> after = TinyModels.snapshot(model.parameters());
      for (String name : before.keySet()) {
        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
      }
      Path saved = out.resolve("saved");
      model.save(saved, tok);
      List<RewardExample> ex = List.of(data.get(0), data.get(1), data.get(2));
      List<float[]> p1 = new StepScorer(model, 8, tok.padId(), StepScore.EXPECTED).score(ex);
      try (RewardModel back = RewardModel.load(saved, m)) {
        List<float[]> p2 = new StepScorer(back, 2, tok.padId(), StepScore.EXPECTED).score(ex);
        for (int i = 0; i < ex.size(); i++) {
          assertArrayEquals(p1.get(i), p2.get(i), 1e-5f, "reloaded PRM scores example " + i + " alike");
        }
      }
    }
  }
}

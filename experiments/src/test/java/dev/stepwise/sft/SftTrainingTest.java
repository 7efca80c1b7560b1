package dev.stepwise.sft;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import dev.stepwise.train.ParameterCheckpoint;
import dev.stepwise.train.TinyModels;
import dev.stepwise.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFT of a real tiny GPT-2 on real arith problems: the loss falls and every parameter moves. */
class SftTrainingTest {
  @TempDir Path out;

  @Test
  void lossFallsAndEveryParameterChanges() throws Exception {
    ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 200, 10, 7L));
    List<Problem> train = task.problems("train", 0);
    List<String> texts = new ArrayList<>();
    train.forEach(p -> { texts.add(task.prompt(p)); texts.add(task.target(p)); });
    CharTokenizer tok = CharTokenizer.fromTexts(texts);
    ModelConfig cfg = new ModelConfig("gpt2", tok.vocabSize(), 32, 2, 2, 256, 0, 1e-5, 0.02);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(cfg, m, 3);
      Map<String, float[]> before = TinyModels.snapshot(model.parameters());
      var tracker = new TinyModels.RecordingTracker();
      new Trainer<>(
              TinyModels.trainerConfig("max_steps = 80, per_device_train_batch_size = 8, logging_steps = 10, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 3e-3, lr_scheduler_type = constant, weight_decay = 0.01"),
              model.parameters(),
              new SftObjective(model),
              SftData.of(task, train, tok, cfg.nPositions()),
              new ParameterCheckpoint(model.parameters()),
              out)
          .withTrackers(List.of(tracker))
          .train();
      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0), "loss did not fall: " + loss);
      Map<String, float[]> after = TinyModels.snapshot(model.parameters());
      for (String name : before.keySet()) {
        assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), name + " did not change");
      }
      double acc = tracker.series("mean_token_accuracy").values().stream().reduce((a, b) -> b).orElseThrow();
      assertTrue(acc > 0.3 && acc <= 1.0, "mean_token_accuracy " + acc);
    }
  }
}

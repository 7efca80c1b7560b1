package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.reward.data.LabelledResponse;
import dev.stepwise.reward.data.RewardBatch;
import dev.stepwise.reward.data.RewardData;
import dev.stepwise.reward.data.RewardExample;
import dev.stepwise.reward.data.SegmentTokenizer;
import dev.stepwise.reward.data.StepBoundaries;
import dev.stepwise.reward.eval.RewardEvaluator;
import dev.stepwise.reward.eval.StepScorer;
import dev.stepwise.reward.loss.ScalarBceObjective;
import dev.stepwise.reward.loss.PrmClassObjective;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.reward.model.StepScore;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.train.Objective;
import dev.stepwise.train.TinyModels;
import dev.stepwise.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real tiny GPT-2 reward models trained with the generic trainer: ORM, PRM soft and PRM classes.
 * Each run's loss falls, every parameter (transformer and head) changes, the evaluator reports
 * step accuracy and AUC, and a saved model reloads to the same step probabilities.
 */
class RewardTrainingTest {
  @TempDir Path out;

  private final ArithTask task = new ArithTask(ArithConfig.DEFAULTS);

  /**
   * 24 short problems "Q: a+b?" with a correct response (steps labelled 1, 1) and one that gives
   * up ("a+b=?", labelled 0.5 then 0): a signal a tiny model can learn in a few dozen steps.
   */
  List<LabelledResponse> responses(boolean perStep) {
    java.util.Random r = new java.util.Random(5);
    List<LabelledResponse> out = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      int a = 1 + r.nextInt(9);
      int b = 1 + r.nextInt(9);
      String prompt = "Q: " + a + "+" + b + "?\n";
      String good = a + "+" + b + "=" + (a + b) + "\n#### " + (a + b);
      String bad = a + "+" + b + "=?\n#### ?";
      for (String s : List.of(good, bad)) {
        boolean ok = s.equals(good);
        List<Integer> ends = perStep ? StepBoundaries.ends(s, task.splitSteps(s)) : List.of(StepBoundaries.trimmedEnd(s));
        List<Float> t = perStep ? (ok ? List.of(1f, 1f) : List.of(0.5f, 0f)) : List.of(ok ? 1f : 0f);
        out.add(new LabelledResponse("q" + i, prompt, s, ends, t));
      }
    }
    return out;
  }

  CharTokenizer tokenizer() {
    return CharTokenizer.fromTexts(List.of("Q: 0123456789+=?#\n"));
  }

  void trainAndCheck(HeadSpec spec, boolean perStep, Function<RewardModel, Objective<RewardBatch>> objective) throws Exception {
    CharTokenizer tok = tokenizer();
    ModelConfig cfg = new ModelConfig("gpt2", tok.vocabSize(), 32, 2, 2, 64, 0, 1e-5, 0.02);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM lm = new Gpt2Family().create(cfg, m, 3);
      RewardModel model = RewardModel.create(lm, spec, m, 11);
      RewardData data = RewardData.of(responses(perStep), tok, cfg.nPositions(), spec.numClasses());
      Map<String, float[]> before = TinyModels.snapshot(model.parameters());
      var tracker = new TinyModels.RecordingTracker();
      StepScorer scorer = new StepScorer(model, 8, tok.padId(), StepScore.EXPECTED);
      new Trainer<>(
              TinyModels.trainerConfig("max_steps = 60, per_device_train_batch_size = 8, logging_steps = 10, eval_steps = 60, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 3e-3, lr_scheduler_type = constant, weight_decay = 0.0"),
              model.parameters(), objective.apply(model), data,
              new dev.stepwise.train.ParameterCheckpoint(model.parameters()), out.resolve(spec.labelType()))
          .withEvalData(data)
          .withEvaluator(new RewardEvaluator(scorer, data))
          .withTrackers(List.of(tracker))
          .train();
      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertTrue(loss.get(loss.size() - 1) < 0.7 * loss.get(0), spec.labelType() + " loss did not fall: " + loss);
      Map<String, float[]> after = TinyModels.snapshot(model.parameters());
      assertTrue(after.containsKey(RewardModel.WEIGHT) && after.containsKey(RewardModel.BIAS));
      for (String name : before.keySet()) {
        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
      }
      double stepAcc = tracker.series("eval/step_accuracy").values().iterator().next();
      double auc = tracker.series("eval/auc").values().iterator().next();
      assertTrue(stepAcc >= 0 && stepAcc <= 1, "eval/step_accuracy " + stepAcc);
      assertTrue(auc > 0.5, spec.labelType() + ": a trained model should rank its training labels better than chance, auc " + auc);
      assertFalse(tracker.series("accuracy").isEmpty());

      Path dir = out.resolve("saved-" + spec.labelType());
      model.save(dir, tok);
      List<RewardExample> ex = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ex.add(data.get(i));
      }
      List<float[]> p1 = scorer.score(ex);
      try (RewardModel back = RewardModel.load(dir, m)) {
        assertEquals(spec, back.spec());
        List<float[]> p2 = new StepScorer(back, 3, tok.padId(), StepScore.EXPECTED).score(ex);
        for (int i = 0; i < ex.size(); i++) {
          assertArrayEquals(p1.get(i), p2.get(i), 1e-5f, "reloaded model scores example " + i + " alike (other batch size)");
          assertEquals(ex.get(i).positions().length, p1.get(i).length);
        }
      }
    }
  }

  @Test
  void orm() throws Exception {
    trainAndCheck(new HeadSpec("scalar", 1, "orm", "outcome"), false, ScalarBceObjective::new);
  }

  @Test
  void prmSoft() throws Exception {
    trainAndCheck(new HeadSpec("scalar", 1, "prm", "soft"), true, ScalarBceObjective::new);
  }

  @Test
  void prmClasses() throws Exception {
    trainAndCheck(new HeadSpec("classes", 3, "prm", "classes"), true, PrmClassObjective::new);
  }

  @Test
  void segmentTokenisationOfRealStepsMatchesTheWholeText() {
    CharTokenizer tok = tokenizer();
    for (LabelledResponse r : responses(true)) {
      RewardExample e = SegmentTokenizer.tokenize(r, tok, 1000);
      assertArrayEquals(tok.encode(r.prompt() + r.response().substring(0, r.stepEnds().get(r.stepEnds().size() - 1))), e.ids());
    }
  }
}

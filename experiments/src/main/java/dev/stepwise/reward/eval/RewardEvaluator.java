package dev.stepwise.reward.eval;

import dev.stepwise.reward.data.RewardData;
import dev.stepwise.reward.data.RewardExample;
import dev.stepwise.train.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step-level evaluation of a reward model on held-out labelled responses. Every labelled
 * position is one item with the model's probability p in [0, 1] and the binary gold {@code
 * target ≥ 0.5} (ORM and {@code hard}: the 0/1 label; {@code soft} and {@code classes}: the
 * majority of the rollouts succeeded). Metrics: {@code eval/step_accuracy} = share of items with
 * {@code (p ≥ 0.5) == gold}, {@code eval/auc} = ROC AUC of p against gold ({@link Auc}; NaN when
 * one class is absent), {@code eval/num_steps}.
 */
public final class RewardEvaluator implements Evaluator {
  private final StepScorer scorer;
  private final RewardData data;

  /** @param data the held-out examples */
  public RewardEvaluator(StepScorer scorer, RewardData data) {
    this.scorer = scorer;
    this.data = data;
  }

  @Override
  public Map<String, Double> evaluate(long step) {
    List<RewardExample> ex = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      ex.add(data.get(i));
    }
    List<float[]> probs = scorer.score(ex);
    return metrics(ex, probs);
  }

  /** @return the metrics of the class doc for given probabilities (one array per example) */
  static Map<String, Double> metrics(List<RewardExample> ex, List<float[]> probs) {
    int n = 0;
    for (RewardExample e : ex) {
      n += e.positions().length;
    }
    double[] scores = new double[n];
    boolean[] gold = new boolean[n];
    int at = 0;
    int hits = 0;
    for (int i = 0; i < ex.size(); i++) {
      float[] t = ex.get(i).targets();
      for (int j = 0; j < t.length; j++) {
        scores[at] = probs.get(i)[j];
        gold[at] = t[j] >= 0.5f;
        hits += (scores[at] >= 0.5) == gold[at] ? 1 : 0;
        at++;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("eval/step_accuracy", n == 0 ? Double.NaN : hits / (double) n);
    m.put("eval/auc", Auc.of(scores, gold));
    m.put("eval/num_steps", (double) n);
    return m;
  }
}

package dev.stepwise.reward.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.reward.data.RewardExample;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.reward.model.StepScore;
import dev.stepwise.train.NoGrad;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a reward model without gradients over tokenised examples and reads its step scores
 * ({@link StepScore}: sigmoid of a scalar head, {@code prm.class_reduce} of a class head) at each
 * example's labelled positions. Batches are right-padded; each runs in its own sub-manager and NDScope.
 */
@SuppressWarnings("try")
public final class StepScorer {
  private final RewardModel model;
  private final int batchSize;
  private final int padId;
  private final StepScore rule;

  /**
   * @param batchSize sequences per forward, &ge; 1
   * @param padId the tokenizer's pad id
   * @param rule how a position's logits become a score (from {@code PrmConfig#stepScore})
   */
  public StepScorer(RewardModel model, int batchSize, int padId, StepScore rule) {
    this.model = model;
    this.rule = rule;
    this.batchSize = Math.max(1, batchSize);
    this.padId = padId;
  }

  /**
   * @param examples tokenised sequences (targets are ignored)
   * @return per example, the score in [0, 1] at each of its positions, in order
   * @throws dev.stepwise.config.UserError when the rule names a class the head lacks
   */
  public List<float[]> score(List<RewardExample> examples) {
    List<float[]> out = new ArrayList<>(examples.size());
    NDManager root = model.parameters().get("score.weight").getManager();
    try (NoGrad g = NoGrad.open()) {
      for (int from = 0; from < examples.size(); from += batchSize) {
        List<RewardExample> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
        try (NDScope scope = new NDScope();
            NDManager m = root.newSubManager()) {
          int t = 1;
          for (RewardExample e : chunk) {
            t = Math.max(t, e.ids().length);
          }
          long[] ids = new long[chunk.size() * t];
          long[] attn = new long[chunk.size() * t];
          java.util.Arrays.fill(ids, padId);
          for (int r = 0; r < chunk.size(); r++) {
            int[] x = chunk.get(r).ids();
            for (int j = 0; j < x.length; j++) {
              ids[r * t + j] = x[j];
              attn[r * t + j] = 1;
            }
          }
          Shape s = new Shape(chunk.size(), t);
          NDArray logits = model.logits(m.create(ids, s), m.create(attn, s));
          float[] p = rule.apply(model.spec().headType(), logits, m).toFloatArray();
          for (int r = 0; r < chunk.size(); r++) {
            int[] pos = chunk.get(r).positions();
            float[] v = new float[pos.length];
            for (int j = 0; j < pos.length; j++) {
              v[j] = p[r * t + pos[j]];
            }
            out.add(v);
          }
        }
      }
    }
    return out;
  }
}

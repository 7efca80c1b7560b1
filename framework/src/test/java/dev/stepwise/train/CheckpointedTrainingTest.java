package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.train.TinyModels.RecordingTracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GPT-2 trained by the {@link Trainer} with {@code gradient_checkpointing = true} learns (the
 * loss falls, every parameter changes) and follows the run without checkpointing step for step;
 * every record carries {@code peak_rss_mb}.
 */
class CheckpointedTrainingTest {
  static final int VOCAB = 13, T = 12;
  static final ModelConfig CFG = new ModelConfig("gpt2", VOCAB, 16, 2, 2, 16, 0, 1e-5, 0.3);

  @TempDir Path out;

  /** Sequences counting up by 3 modulo the vocabulary from a start token; next-token targets. */
  record Seq(NDArray ids, NDArray labels) {}

  static TrainData<Seq> counting(int n) {
    return new TrainData<>() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public Seq collate(int[] indices, NDManager step) {
        long[] ids = new long[indices.length * T], labels = new long[indices.length * T];
        for (int r = 0; r < indices.length; r++) {
          for (int k = 0; k < T; k++) {
            ids[r * T + k] = (indices[r] + 3L * k) % VOCAB;
            labels[r * T + k] = (indices[r] + 3L * (k + 1)) % VOCAB;
          }
        }
        Shape s = new Shape(indices.length, T);
        return new Seq(step.create(ids, s), step.create(labels, s));
      }
    };
  }

  static Objective<Seq> lm(CausalLM model) {
    return (b, step) -> {
      NDArray logp = TokenLogProbs.of(model.logits(model.hiddenStates(b.ids(), null)), b.labels());
      return new StepOutput(logp.mean().neg(), Map.of(), b.ids().size());
    };
  }

  private Map<Long, Double> train(boolean checkpointing, Map<String, float[]> before, Map<String, float[]> after)
      throws Exception {
    try (NDManager m = NDManager.newBaseManager(); CausalLM model = new Gpt2Family().create(CFG, m, 7)) {
      before.putAll(TinyModels.snapshot(model.parameters()));
      RecordingTracker rec = new RecordingTracker();
      new Trainer<>(TinyModels.trainerConfig("max_steps = 8, per_device_train_batch_size = 4,"
              + " gradient_accumulation_steps = 2, logging_steps = 1, save_steps = 0, resume = never,"
              + " progress_bar = false, gradient_checkpointing = " + checkpointing),
          TinyModels.optimConfig("lr = 0.01"), model.parameters(), lm(model), counting(VOCAB),
          new ParameterCheckpoint(model.parameters()), out.resolve("ck" + checkpointing))
          .withTrackers(List.of(rec)).train();
      after.putAll(TinyModels.snapshot(model.parameters()));
      // the peak-memory metric: in every record, a JVM with libtorch is above 50 MiB, never falls
      List<Double> peaks = List.copyOf(rec.series("peak_rss_mb").values());
      assertEquals(8, peaks.size(), "logged with every record");
      assertTrue(peaks.get(0) > 50, "peak RSS " + peaks);
      for (int i = 1; i < peaks.size(); i++) {
        assertTrue(peaks.get(i) >= peaks.get(i - 1), "a high-water mark never falls: " + peaks);
      }
      assertTrue(rec.summary.containsKey("peak_rss_mb"), "in the summary: " + rec.summary);
      return rec.series("loss");
    }
  }

  @Test
  void checkpointedTrainingLearnsAndMatchesThePlainRun() throws Exception {
    Map<String, float[]> b0 = new java.util.HashMap<>(), a0 = new java.util.HashMap<>();
    Map<String, float[]> b1 = new java.util.HashMap<>(), a1 = new java.util.HashMap<>();
    Map<Long, Double> plain = train(false, b0, a0);
    Map<Long, Double> ckpt = train(true, b1, a1);
    assertEquals(plain.keySet(), ckpt.keySet());
    for (long s : plain.keySet()) {
      assertEquals(plain.get(s), ckpt.get(s), 1e-4, "loss at step " + s);
    }
    assertTrue(ckpt.get(8L) < 0.8 * ckpt.get(1L), "loss falls: " + ckpt);
    for (String k : b1.keySet()) {
      float[] x = b1.get(k), y = a1.get(k), z = a0.get(k);
      double moved = 0, apart = 0;
      for (int i = 0; i < x.length; i++) {
        moved = Math.max(moved, Math.abs(y[i] - x[i]));
        apart = Math.max(apart, Math.abs(y[i] - z[i]));
      }
      assertTrue(moved > 1e-4, k + " changed");
      // Adam normalises gradients, so parameters whose gradient is zero in exact arithmetic (the
      // key bias: softmax ignores a per-query constant) move by rounding noise at the lr's scale
      assertTrue(apart < 0.5 * 8 * 0.01, k + " ends near the plain run: " + apart);
    }
  }

  @Test
  void groupByLengthNeedsDataThatReportsLengths() throws Exception {
    try (NDManager m = NDManager.newBaseManager(); CausalLM model = new Gpt2Family().create(CFG, m, 7)) {
      dev.stepwise.config.UserError e = assertThrows(dev.stepwise.config.UserError.class,
          () -> new Trainer<>(TinyModels.trainerConfig("max_steps = 1, group_by_length = true, resume = never"),
              TinyModels.optimConfig("lr = 0.01"), model.parameters(), lm(model), counting(VOCAB),
              new ParameterCheckpoint(model.parameters()), out));
      assertTrue(e.getMessage().contains("trainer.group_by_length=false"), e.getMessage());
    }
  }
}

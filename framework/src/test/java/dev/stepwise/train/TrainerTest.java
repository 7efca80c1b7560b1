package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.train.TinyModels.Batch;
import dev.stepwise.train.TinyModels.RecordingTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  static final int VOCAB = 16;
  static final OptimConfig OPTIM = TinyModels.optimConfig(
      "lr = 0.05, lr_scheduler_type = cosine, warmup_steps = 2, weight_decay = 0.01");

  @TempDir Path out;

  static Trainer<Batch> trainer(
      String hocon, Map<String, NDArray> params, Objective<Batch> obj, TrainData<Batch> data, Path dir) {
    return new Trainer<>(TinyModels.trainerConfig(hocon), OPTIM, params, obj, data,
        new ParameterCheckpoint(params), dir);
  }

  @Test
  void lossFallsEveryParameterChangesAndCheckpointsRotate() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = TinyModels.mlpParams(m, VOCAB, 8, 16, 1);
      Map<String, float[]> before = TinyModels.snapshot(p);
      TrainData<Batch> data = TinyModels.nextTokenData(64, VOCAB);
      RecordingTracker rec = new RecordingTracker();
      TrainResult r = trainer(
              "max_steps = 40, per_device_train_batch_size = 8, gradient_accumulation_steps = 2,"
                  + " logging_steps = 5, save_steps = 10, save_total_limit = 2, resume = never,"
                  + " progress_bar = false",
              p, TinyModels.mlpObjective(p, VOCAB), data, out)
          .withEvalData(data)
          .withTrackers(List.of(rec))
          .train();

      Map<Long, Double> loss = rec.series("loss");
      assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L), List.copyOf(loss.keySet()));
      double first = loss.get(5L), last = loss.get(40L);
      assertTrue(first > 2.0, "starts near ln(16) = 2.77: " + first);
      assertTrue(last < 0.3 * first, "loss falls: " + loss);
      assertEquals(last, r.finalLoss(), 1e-12);
      assertEquals(40, r.globalStep());
      assertTrue(r.lastEval().get("eval/loss") < 0.3 * first, r.lastEval().toString());
      for (var e : before.entrySet()) {
        float[] now = p.get(e.getKey()).toFloatArray();
        long changed = countDifferent(e.getValue(), now);
        assertEquals(e.getValue().length, changed, e.getKey() + ": every element changed");
      }

      Map<String, Object> at40 = rec.records.stream().filter(x -> x.getKey() == 40L
          && x.getValue().containsKey("loss")).findFirst().orElseThrow().getValue();
      for (String k : List.of("loss", "grad_norm", "learning_rate", "epoch", "num_tokens",
          "tokens_per_second", "mean_token_accuracy")) {
        assertTrue(at40.containsKey(k), "logged " + k + ": " + at40);
      }
      assertEquals(640L, at40.get("num_tokens")); // 40 steps x 2 micro-batches x 8 examples
      assertEquals(10.0, (Double) at40.get("epoch"), 1e-12); // 640 / 64 examples
      assertEquals(0.0, (Double) at40.get("learning_rate"), 1e-4); // cosine near its end
      assertTrue((Double) at40.get("mean_token_accuracy") > 0.5);
      assertNotNull(rec.summary);

      Path ck = out.resolve("checkpoints");
      try (Stream<Path> s = Files.list(ck)) {
        assertEquals(List.of("checkpoint-30", "checkpoint-40"),
            s.map(x -> x.getFileName().toString()).sorted().toList());
      }
      assertEquals(ck.resolve("checkpoint-40"), r.lastCheckpoint());
      for (String f : List.of("model.safetensors", "optimizer.safetensors", "trainer_state.json")) {
        assertTrue(Files.isRegularFile(ck.resolve("checkpoint-40").resolve(f)), f);
      }
      var state = new ObjectMapper().readTree(ck.resolve("checkpoint-40/trainer_state.json").toFile());
      assertTrue(state.get("complete").asBoolean());
      assertEquals(40, state.get("global_step").asLong());
      assertEquals(r.lastEval().get("eval/loss"), state.get("best_metric").asDouble(), 1e-12);
      assertTrue(state.get("log_history").size() > 0);
    }
  }

  @Test
  void resumedRunReproducesTheUninterruptedLossesExactly() throws Exception {
    // 20 examples, micro-batch 3 (7 micro-batches per epoch), accumulation 2: steps straddle
    // epoch boundaries, so the data position must be restored mid-epoch.
    String cfg = "max_steps = 12, per_device_train_batch_size = 3, gradient_accumulation_steps = 2,"
        + " logging_steps = 1, save_steps = 5, progress_bar = false, seed = 3";
    TrainData<Batch> data = TinyModels.nextTokenData(20, VOCAB);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> a = TinyModels.mlpParams(m, VOCAB, 8, 16, 1);
      RecordingTracker straight = new RecordingTracker();
      trainer(cfg, a, TinyModels.mlpObjective(a, VOCAB), data, out.resolve("a"))
          .withTrackers(List.of(straight)).train();

      // Run B crashes during step 8 (after checkpoint-5); a stale, incomplete checkpoint-10
      // (no trainer_state.json) must be ignored by the resume.
      Path dirB = out.resolve("b");
      Map<String, NDArray> b = TinyModels.mlpParams(m, VOCAB, 8, 16, 1);
      Objective<Batch> crashing = failingAt(TinyModels.mlpObjective(b, VOCAB), 2 * 7 + 1, false);
      assertThrows(IllegalStateException.class,
          () -> trainer(cfg, b, crashing, data, dirB).train());
      Files.createDirectories(dirB.resolve("checkpoints/checkpoint-10"));
      Files.writeString(dirB.resolve("checkpoints/checkpoint-10/model.safetensors"), "partial");

      // A fresh process: new parameter objects with DIFFERENT initial values, resume = auto.
      Map<String, NDArray> c = TinyModels.mlpParams(m, VOCAB, 8, 16, 99);
      RecordingTracker resumed = new RecordingTracker();
      TrainResult r = trainer(cfg, c, TinyModels.mlpObjective(c, VOCAB), data, dirB)
          .withTrackers(List.of(resumed)).train();

      assertEquals(12, r.globalStep());
      Map<Long, Double> want = straight.series("loss");
      Map<Long, Double> got = resumed.series("loss");
      assertEquals(List.of(6L, 7L, 8L, 9L, 10L, 11L, 12L), List.copyOf(got.keySet()));
      for (long s = 6; s <= 12; s++) {
        // Same values, same operations, same order: bit-identical on one machine.
        assertEquals(want.get(s), got.get(s), 0.0, "loss at step " + s);
        assertEquals(straight.series("learning_rate").get(s), resumed.series("learning_rate").get(s), 0.0);
        assertEquals(straight.series("num_tokens").get(s), resumed.series("num_tokens").get(s), 0.0);
      }
      for (String k : a.keySet()) {
        assertArrayEquals(a.get(k).toFloatArray(), c.get(k).toFloatArray(), k);
      }
    }
  }

  @Test
  void nonFiniteLossStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint() throws Exception {
    TrainData<Batch> data = TinyModels.nextTokenData(32, VOCAB);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = TinyModels.mlpParams(m, VOCAB, 8, 16, 1);
      Objective<Batch> nanAt7 = failingAt(TinyModels.mlpObjective(p, VOCAB), 7, true);
      RecordingTracker rec = new RecordingTracker();
      DivergenceError e = assertThrows(DivergenceError.class,
          () -> trainer("max_steps = 20, per_device_train_batch_size = 4, logging_steps = 1,"
                  + " save_steps = 3, progress_bar = false", p, nanAt7, data, out)
              .withTrackers(List.of(rec)).train());
      Path good = out.resolve("checkpoints/checkpoint-6");
      assertEquals(7, e.step());
      assertEquals(good, e.lastGoodCheckpoint());
      assertTrue(e.getMessage().contains("loss is NaN at optimizer step 7"), e.getMessage());
      assertTrue(e.getMessage().contains(good.toString()), e.getMessage());
      assertTrue(CheckpointManager.readState(good).isPresent(), "last good checkpoint intact");
      try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
        assertEquals(List.of("checkpoint-3", "checkpoint-6"),
            s.map(x -> x.getFileName().toString()).sorted().toList());
      }
      assertEquals(6L, rec.records.get(rec.records.size() - 1).getKey());
      // the failing step applied no update: parameters equal the checkpoint's
      try (NDManager t = NDManager.newBaseManager()) {
        Map<String, NDArray> saved = dev.stepwise.model.Safetensors.read(good.resolve("model.safetensors"), t);
        for (String k : p.keySet()) {
          assertArrayEquals(saved.get(k).toFloatArray(), p.get(k).toFloatArray(), k);
        }
      }
    }
  }

  @Test
  void epochsEvaluatorProgressBarAndResumingAFinishedRun() throws Exception {
    TrainData<Batch> data = TinyModels.nextTokenData(20, VOCAB);
    String cfg = "num_train_epochs = 2, per_device_train_batch_size = 3,"
        + " gradient_accumulation_steps = 2, logging_steps = 2, eval_steps = 3, save_steps = 0,"
        + " progress_bar = true";
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = TinyModels.mlpParams(m, VOCAB, 8, 16, 1);
      java.util.List<Long> evaluatedAt = new java.util.ArrayList<>();
      Evaluator ev = step -> {
        evaluatedAt.add(step);
        return Map.of("eval/accuracy", step / 100.0);
      };
      RecordingTracker rec = new RecordingTracker();
      Trainer<Batch> t = trainer(cfg, p, TinyModels.mlpObjective(p, VOCAB), data, out)
          .withEvaluator(ev).withEvalData(data).withTrackers(List.of(rec));
      assertEquals(7, t.totalSteps()); // ceil(2 epochs x 7 micro-batches / 2)
      TrainResult r = t.train();
      assertEquals(7, r.globalStep());
      assertEquals(List.of(3L, 6L, 7L), evaluatedAt);
      assertEquals(0.07, r.lastEval().get("eval/accuracy"), 1e-12);
      assertTrue(r.lastEval().containsKey("eval/loss"));
      assertTrue(r.lastEval().containsKey("eval/mean_token_accuracy"));
      assertEquals(List.of(3L, 6L, 7L), List.copyOf(rec.series("eval/loss").keySet()));
      assertEquals(List.of(2L, 4L, 6L, 7L), List.copyOf(rec.series("loss").keySet()));
      assertEquals(out.resolve("checkpoints/checkpoint-7"), r.lastCheckpoint()); // the end is saved

      // Resuming the finished run (explicit path) runs no step and changes nothing.
      Map<String, float[]> before = TinyModels.snapshot(p);
      TrainResult again = trainer(cfg.replace("progress_bar = true", "progress_bar = false")
              + ", resume = \"" + r.lastCheckpoint() + "\"", p, TinyModels.mlpObjective(p, VOCAB), data, out)
          .train();
      assertEquals(7, again.globalStep());
      assertTrue(Double.isNaN(again.finalLoss()));
      before.forEach((k, v) -> assertArrayEquals(v, p.get(k).toFloatArray(), k));
    }
  }

  /**
   * Wraps an objective: at forward call number {@code call} (1-based) it either throws (a
   * crash) or returns a NaN loss (multiplied by a NaN array of the step's manager).
   */
  static Objective<Batch> failingAt(Objective<Batch> inner, int call, boolean nan) {
    int[] n = {0};
    return (batch, step) -> {
      StepOutput o = inner.forward(batch, step);
      if (++n[0] == call) {
        if (!nan) {
          throw new IllegalStateException("simulated crash at forward " + call);
        }
        return new StepOutput(step.create(Float.NaN).mul(o.loss()), o.metrics(), o.numTokens());
      }
      return o;
    };
  }

  static long countDifferent(float[] a, float[] b) {
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      if (Float.compare(a[i], b[i]) != 0) {
        n++;
      }
    }
    return n;
  }

  static boolean allFinite(float[] v) {
    return Arrays.stream(toDouble(v)).allMatch(Double::isFinite);
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}

package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.run.Tracker;
import dev.stepwise.sft.SftData;
import dev.stepwise.sft.SftExample;
import dev.stepwise.sft.SftObjective;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.PeakMemory;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Peak memory and step time of full-parameter SFT steps of a Hugging Face model directory, with
 * or without {@code gradient_checkpointing}: the real {@link Trainer} with {@link SftObjective}
 * on random token rows of exactly {@code bench.seq} input positions (no padding; prompt 16
 * tokens, the rest completion), micro-batch {@code bench.batch}, AdamW. Run once per JVM: peak
 * RSS ({@link PeakMemory}, the kernel's VmHWM) is a process-wide high-water mark, so
 * scripts/bench/memory.sh starts one JVM per setting. Also prints the peak RSS measured right
 * after loading the model (before any step), to separate the training share.
 *
 * <p>System properties: {@code bench.model} (model directory, required), {@code bench.seq}
 * (default 512), {@code bench.batch} (default 8), {@code bench.steps} (default 6), {@code
 * bench.checkpointing} (default false).
 */
public final class MemoryBench {
  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(System.getProperty("bench.model"));
    int seq = Integer.getInteger("bench.seq", 512);
    int batch = Integer.getInteger("bench.batch", 8);
    int steps = Integer.getInteger("bench.steps", 6);
    boolean ckpt = Boolean.getBoolean("bench.checkpointing");
    try (NDManager base = NDManager.newBaseManager(); CausalLM model = ModelCheckpoint.load(dir, base)) {
      long loaded = PeakMemory.peakRssKib();
      int vocab = model.config().vocabSize();
      Random r = new Random(0);
      List<SftExample> ex = new ArrayList<>();
      for (int i = 0; i < steps * batch; i++) {
        ex.add(new SftExample(r.ints(16, 3, vocab).toArray(), r.ints(seq + 1 - 16, 3, vocab).toArray()));
      }
      TrainerConfig tc = new TrainerConfig((long) steps, null, batch, 1, 1.0, 1L, 0L, steps + 1L, 1, "never", 0L,
          false, ckpt, false);
      OptimConfig oc = new OptimConfig("adamw", 1e-4, 0.0, null, null, null, "constant", null, null, null);
      List<Long> nanos = new ArrayList<>();
      Map<String, Object>[] last = new Map[1];
      Tracker clock = new Tracker() {
        @Override
        public void log(long step, Map<String, ?> metrics) {
          nanos.add(System.nanoTime());
          last[0] = Map.copyOf(metrics);
        }

        @Override
        public void close() {}
      };
      CheckpointHook none = new CheckpointHook() {
        @Override
        public void save(Path d) {}

        @Override
        public void load(Path d) {
          throw new UnsupportedOperationException();
        }
      };
      Path out = Files.createTempDirectory("stepwise-memory-bench");
      long t0 = System.nanoTime();
      new Trainer<>(tc, oc, model.parameters(), new SftObjective(model), new SftData(ex, seq, 0), none, out)
          .withTrackers(List.of(clock)).train();
      double first = (nanos.get(0) - t0) / 1e9;
      double rest = nanos.size() > 1 ? (nanos.get(nanos.size() - 1) - nanos.get(0)) / 1e9 / (nanos.size() - 1) : Double.NaN;
      System.out.printf("model %s, seq %d, batch %d, steps %d, gradient_checkpointing %s%n", dir.getFileName(), seq, batch,
          steps, ckpt);
      System.out.printf("peak RSS after loading: %.0f MiB; after training: %.0f MiB (peak_rss_mb logged: %s)%n",
          loaded / 1024.0, PeakMemory.peakRssKib() / 1024.0, last[0].get("peak_rss_mb"));
      System.out.printf("step time: first %.2f s, then %.2f s/step; final loss %s%n", first, rest, last[0].get("loss"));
    }
  }
}

package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.lora.LoraConfig;
import dev.stepwise.model.lora.LoraModel;
import dev.stepwise.run.Tracker;
import dev.stepwise.sft.SftData;
import dev.stepwise.sft.SftExample;
import dev.stepwise.sft.SftObjective;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training throughput of a pretrained Hugging Face model, full fine-tuning or LoRA, through the
 * real trainer ({@link Trainer}, {@link SftObjective}, AdamW, clip 1.0) on random token rows of
 * {@code -Dbench.seq} tokens (16 prompt, the rest completion), batch {@code -Dbench.batch}:
 * tokens/s over {@code -Dbench.steps} steps after {@code -Dbench.warmup}, the trainable parameter
 * count and the process's peak RSS. One mode per JVM so the peak RSS is the mode's.
 * Usage: {@code LoraTrainBench <model dir> full|lora}; LoRA settings {@code -Dbench.r} (8),
 * {@code -Dbench.targets} (all-linear).
 */
public final class LoraTrainBench {
  private LoraTrainBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    int seq = Integer.getInteger("bench.seq", 512);
    int batch = Integer.getInteger("bench.batch", 4);
    int steps = Integer.getInteger("bench.steps", 8);
    int warmup = Integer.getInteger("bench.warmup", 2);
    int r = Integer.getInteger("bench.r", 8);
    String targets = System.getProperty("bench.targets", "all-linear");
    if (!mode.equals("full") && !mode.equals("lora")) {
      throw new IllegalArgumentException("mode must be full or lora, got " + mode);
    }
    long total = warmup + steps;
    List<Long> nanos = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    Tracker clock = new Tracker() {
      @Override
      public void log(long step, Map<String, ?> metrics) {
        nanos.add(System.nanoTime());
        Object l = metrics.get("loss");
        losses.add(l instanceof Number n ? n.doubleValue() : Double.NaN);
      }

      @Override
      public void summary(Map<String, ?> values) {}

      @Override
      public void close() {}
    };
    Path out = Files.createTempDirectory("stepwise-lora-bench");
    long trainable;
    long all;
    try (NDManager base = NDManager.newBaseManager()) {
      CausalLM model = ModelCheckpoint.load(dir, base);
      all = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
      if (mode.equals("lora")) {
        model = new LoraModel(model, new LoraConfig(r, 2.0 * r, 0.0, List.of(targets.split(",")), null, null, null, null, null),
            dir.toString(), 0);
      }
      trainable = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
      int vocab = model.config().vocabSize();
      Random rnd = new Random(0);
      List<SftExample> ex = new ArrayList<>();
      for (int i = 0; i < total * batch; i++) {
        int[] p = new int[16];
        int[] c = new int[seq - 16];
        Arrays.setAll(p, k -> 1 + rnd.nextInt(vocab - 1));
        Arrays.setAll(c, k -> 1 + rnd.nextInt(vocab - 1));
        ex.add(new SftExample(p, c));
      }
      CheckpointHook none = new CheckpointHook() {
        @Override
        public void save(Path d) {}

        @Override
        public void load(Path d) {
          throw new UnsupportedOperationException();
        }
      };
      TrainerConfig tc = new TrainerConfig(total, null, batch, 1, 1.0, 1L, 0L, total + 1, 1, "never", 0L, false);
      OptimConfig oc = new OptimConfig("adamw", mode.equals("lora") ? 1e-3 : 1e-4, 0.0, null, null, null, "constant", null, null, null);
      new Trainer<>(tc, oc, model.parameters(), new SftObjective(model), new SftData(ex, seq, 0), none, out)
          .withTrackers(List.of(clock)).train();
    }
    double sec = (nanos.get((int) total - 1) - nanos.get(warmup - 1)) / 1e9;
    double tps = (double) steps * batch * (seq - 1) / sec;
    System.out.printf("model %s, mode %s%s: seq %d, batch %d, %d steps after %d warm-up%n", dir.getFileName(), mode,
        mode.equals("lora") ? " (r " + r + ", " + targets + ")" : "", seq, batch, steps, warmup);
    System.out.printf("trainable parameters: %d of %d (%.2f%%)%n", trainable, mode.equals("lora") ? all + trainable : all,
        100.0 * trainable / (mode.equals("lora") ? all + trainable : all));
    System.out.printf("step: %.0f ms mean; loss %.3f -> %.3f%n", 1e3 * sec / steps, losses.get(0), losses.get(losses.size() - 1));
    System.out.printf("%s_tokens_per_second=%.0f%n", mode, tps);
    System.out.printf("%s_peak_rss_mib=%.0f%n", mode, RealModelBench.rssMiB("VmHWM"));
    try (var s = Files.walk(out)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.cli.CliIo;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LoRA path through the real entry points on a tiny GPT-2 checkpoint: RFT with {@code
 * +lora=default} writes PEFT adapter checkpoints (no full weights); DPO starts from that adapter
 * directory (base + adapter folded in) with a fresh adapter and the adapter-off reference, caching
 * reference log-probs; the {@code merge} job writes a full checkpoint from the DPO adapter; a
 * typo in a {@code lora} key is a user error with a suggestion.
 */
class LoraJobsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final String[] TASK = {"task.num_train=40", "task.num_test=10", "task.max_steps=1"};

  @TempDir Path tmp;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  CliIo io() {
    return new CliIo(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new HashMap<>(System.getenv()), ROOT);
  }

  static String[] args(String dir, String name, String... rest) {
    List<String> a = new ArrayList<>(List.of("-cp", ROOT.resolve(dir).toString(), "-cn", name));
    a.addAll(List.of(TASK));
    a.addAll(List.of(rest));
    return a.toArray(String[]::new);
  }

  @Test
  void loraRftThenLoraDpoThenMerge() throws Exception {
    ArithTask task = new ArithTask(ArithConfig.of(1, 1, null, null, null, 40, 10, 42L));
    List<Problem> train = task.problems("train", 0);
    List<String> texts = new ArrayList<>();
    for (Problem p : train) {
      texts.add(task.prompt(p));
      texts.add(task.target(p));
    }
    task.problems("test", 0).forEach(p -> texts.add(task.prompt(p)));
    CharTokenizer tok = CharTokenizer.fromTexts(texts);
    Path ckpt = tmp.resolve("init");
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 32, 1, 2, 256, 0, 1e-5, 0.02), m, 1);
      ModelCheckpoint.save(ckpt, model, tok);
    }
    Path samples = tmp.resolve("samples.jsonl");
    try (JsonlAppender out = JsonlAppender.open(samples)) {
      for (Problem p : train) {
        String good = task.target(p);
        String bad = good.replaceAll("#### \\d+", "#### 1" + p.label());
        out.append(new SampleRecord(p.id(), task.prompt(p), p.label(), List.of(good, bad), List.of()));
      }
    }

    Path rftRun = tmp.resolve("rft_run");
    int rc = TrainerMain.run(args("conf/exp/sft/arith", "tiny_rft", "run.dir=" + rftRun, "model_path=" + ckpt,
        "data.samples_file=" + samples, "+lora=default", "lora.r=4", "trainer.max_steps=3", "trainer.logging_steps=1",
        "trainer.progress_bar=false", "eval.num_problems=0", "eval.max_tokens=8", "test.num_problems=2"), io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    Path sftAdapter = rftRun.resolve("checkpoints/checkpoint-3");
    assertTrue(Files.isRegularFile(sftAdapter.resolve("adapter_model.safetensors")));
    assertFalse(Files.exists(sftAdapter.resolve("model.safetensors")), "a LoRA checkpoint holds the adapter only");
    JsonNode cfg = new ObjectMapper().readTree(sftAdapter.resolve("adapter_config.json").toFile());
    assertEquals(4, cfg.get("r").asInt());
    assertTrue(cfg.get("fan_in_fan_out").asBoolean(), "GPT-2 Conv1D");
    assertEquals(ckpt.toAbsolutePath().normalize().toString(), cfg.get("base_model_name_or_path").asText());

    Path pairs = tmp.resolve("pairs.jsonl");
    rc = SamplerMain.run(args("conf/exp/sample/arith", "tiny_pairs", "run.dir=" + tmp.resolve("pairs_run"),
        "pairs.samples_file=" + samples, "pairs.output_file=" + pairs), io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    Path dpoRun = tmp.resolve("dpo_run");
    rc = TrainerMain.run(args("conf/exp/dpo/arith", "tiny_dpo", "run.dir=" + dpoRun, "dpo.model_path=" + sftAdapter,
        "dpo.train_file=" + pairs, "dpo.beta=0.5", "+lora=default", "optim.lr=1e-2", "trainer.max_steps=4",
        "trainer.logging_steps=1", "trainer.progress_bar=false", "eval.num_problems=0", "eval.max_tokens=8",
        "test.num_problems=2"), io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    String log = Files.readString(dpoRun.resolve("run.log"));
    assertTrue(log.contains("LoRA r=8"), "the DPO policy is a LoRA model");
    try (Stream<Path> s = Files.list(dpoRun.resolve("ref_logps"))) {
      assertEquals(2, s.count(), "train and held-out reference log-probs cached from the adapter-off base");
    }
    JsonNode first = new ObjectMapper().readTree(Files.readAllLines(dpoRun.resolve("metrics.jsonl")).get(0));
    assertEquals(Math.log(2), first.get("loss").asDouble(), 1e-4, "a fresh adapter starts at the reference: ln 2");
    Path dpoAdapter = dpoRun.resolve("checkpoints/checkpoint-4");
    assertTrue(Files.isRegularFile(dpoAdapter.resolve("adapter_model.safetensors")));

    Path merged = tmp.resolve("merged");
    rc = SamplerMain.run(new String[] {"-cp", ROOT.resolve("conf/exp/merge").toString(), "-cn", "merge",
        "run.dir=" + tmp.resolve("merge_run"), "merge.adapter=" + dpoAdapter, "merge.out=" + merged}, io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(merged.resolve("model.safetensors")) && Files.isRegularFile(merged.resolve("config.json")));

    rc = TrainerMain.run(args("conf/exp/sft/arith", "tiny_rft", "run.dir=" + tmp.resolve("bad"), "model_path=" + ckpt,
        "data.samples_file=" + samples, "+lora=default", "lora.rank=4"), io());
    assertEquals(2, rc);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("lora"), err.toString(StandardCharsets.UTF_8));
  }
}

package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.cli.CliIo;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ORM, GRPO (with a KL reference) and step PPO (outcome rewards, critic from the policy) run with
 * {@code +lora=default} through the trainer entry point on a tiny GPT-2: each writes PEFT adapter
 * checkpoints (the reward model and PPO critic with their heads beside the adapter) and logs the
 * LoRA setup; GRPO's and PPO's reference is the adapter-off base (no second reference load).
 */
class LoraRlRewardJobsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final String[] TASK = {"task.num_train=16", "task.num_test=4", "task.max_steps=1"};

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
  void ormGrpoAndStepPpoRunWithLora() throws Exception {
    ArithTask task = new ArithTask(ArithConfig.of(1, 1, null, null, null, 16, 4, 42L));
    List<String> texts = new ArrayList<>();
    for (Problem p : task.problems("train", 0)) {
      texts.add(task.prompt(p));
      texts.add(task.target(p) + "0123456789");
    }
    task.problems("test", 0).forEach(p -> texts.add(task.prompt(p)));
    CharTokenizer tok = CharTokenizer.fromTexts(texts);
    Path sft = tmp.resolve("sft");
    try (NDManager m = NDManager.newBaseManager()) {
      ModelCheckpoint.save(sft, new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 16, 1, 2, 256, 0, 1e-5, 0.02), m, 1), tok);
    }
    Path samples = tmp.resolve("samples.jsonl");
    List<String> lines = new ArrayList<>();
    for (Problem p : task.problems("train", 0)) {
      String good = task.target(p);
      String bad = good.replaceAll("#### \\d+", "#### 1" + p.label());
      lines.add("{\"id\":\"" + p.id() + "\",\"prompt\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(task.prompt(p))
          + ",\"label\":\"" + p.label() + "\",\"response\":[" + com.fasterxml.jackson.databind.node.TextNode.valueOf(bad) + ","
          + com.fasterxml.jackson.databind.node.TextNode.valueOf(good) + "]}");
    }
    Files.write(samples, lines);
    String[] tiny = {"+lora=default", "lora.r=2", "trainer.max_steps=2", "trainer.logging_steps=1", "trainer.eval_steps=2",
        "trainer.save_steps=2", "trainer.per_device_train_batch_size=2", "trainer.progress_bar=false"};
    String[] rl = concat(tiny, "eval.num_problems=2", "eval.max_tokens=8", "test.num_problems=2");

    Path orm = tmp.resolve("orm");
    assertEquals(0, TrainerMain.run(args("conf/exp/reward/arith", "tiny_orm", concat(tiny, "run.dir=" + orm,
        "reward.model_path=" + sft, "reward.train_file=" + samples)), io()), err.toString(StandardCharsets.UTF_8));
    for (String f : List.of("adapter_config.json", "adapter_model.safetensors", "reward_head.safetensors", "reward_head.json")) {
      assertTrue(Files.exists(orm.resolve("reward_model").resolve(f)), f);
    }
    assertFalse(Files.exists(orm.resolve("reward_model/model.safetensors")));

    Path grpo = tmp.resolve("grpo");
    assertEquals(0, TrainerMain.run(args("conf/exp/ppo/arith", "tiny_grpo", concat(rl, "run.dir=" + grpo,
        "grpo.model_path=" + sft, "grpo.beta=0.1", "grpo.num_generations=2", "grpo.max_completion_length=8")), io()),
        err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.readString(grpo.resolve("run.log")).contains("LoRA r=2"));
    assertTrue(Files.exists(grpo.resolve("checkpoints/checkpoint-2/adapter_model.safetensors")));

    Path ppo = tmp.resolve("ppo");
    assertEquals(0, TrainerMain.run(args("conf/exp/ppo/arith", "tiny_step_ppo", concat(rl, "run.dir=" + ppo,
        "ppo.model_path=" + sft, "ppo.reward_mode=outcome", "ppo.critic_init=policy", "ppo.response_length=8",
        "ppo.num_mini_batches=1")), io()), err.toString(StandardCharsets.UTF_8));
    String log = Files.readString(ppo.resolve("run.log"));
    assertEquals(2, log.split("LoRA r=2", -1).length - 1, "policy and critic each get an adapter: " + log);
    assertTrue(Files.exists(ppo.resolve("checkpoints/checkpoint-2/adapter_model.safetensors")));
    assertTrue(Files.exists(ppo.resolve("checkpoints/checkpoint-2/critic/adapter_model.safetensors")));
    assertTrue(Files.exists(ppo.resolve("checkpoints/checkpoint-2/critic/reward_head.safetensors")));
  }

  static String[] concat(String[] a, String... b) {
    List<String> l = new ArrayList<>(List.of(a));
    l.addAll(List.of(b));
    return l.toArray(String[]::new);
  }
}

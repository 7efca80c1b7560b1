package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.cli.CliIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer entry point against the repository's real conf tree: a tiny SFT run end to end,
 * and the exit code and message of each kind of config error.
 */
class TrainerMainTest {
  /** The repository root (tests run in the entrypoints module directory). */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path tmp;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("STEPWISE_FULL_ERROR");
    CliIo io =
        new CliIo(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env,
            ROOT);
    List<String> all = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sft/arith").toString(), "-cn", "tiny_sft"));
    all.addAll(List.of(args));
    return TrainerMain.run(all.toArray(String[]::new), io);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tinySftRunsEndToEndAndWritesTheRunDirectory() throws Exception {
    Path dir = tmp.resolve("run");
    int rc =
        run(
            "run.dir=" + dir,
            "model.n_embd=32",
            "model.n_layer=1",
            "model.n_head=2",
            "model.n_positions=256",
            "task.max_steps=1",
            "task.num_train=400",
            "task.num_test=20",
            "trainer.max_steps=30",
            "trainer.logging_steps=5",
            "trainer.eval_steps=15",
            "trainer.save_steps=15",
            "trainer.progress_bar=false",
            "optim.lr=3e-3",
            "eval.num_problems=4",
            "eval.max_tokens=48",
            "test.num_problems=8");
    assertEquals(0, rc, err());
    for (String f : List.of("config.conf", "overrides.txt", "git.txt", "env.txt", "run.log", "metrics.jsonl")) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f + " missing or empty");
    }
    assertTrue(Files.readString(dir.resolve("env.txt")).contains("engine: PyTorch 2.7.1"));
    assertTrue(Files.readAllLines(dir.resolve("overrides.txt")).contains("trainer.max_steps=30"));
    Path ckpt = dir.resolve("checkpoints/checkpoint-30");
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "optimizer.safetensors", "trainer_state.json")) {
      assertTrue(Files.exists(ckpt.resolve(f)), f + " missing in " + ckpt);
    }
    ObjectMapper om = new ObjectMapper();
    List<Double> losses = new ArrayList<>();
    JsonNode summary = null;
    for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
      JsonNode n = om.readTree(line);
      if (n.has("loss")) {
        losses.add(n.get("loss").asDouble());
      }
      if (n.has("test/accuracy")) {
        summary = n;
      }
    }
    assertTrue(losses.size() >= 6, "losses logged: " + losses);
    assertTrue(losses.get(losses.size() - 1) < losses.get(0) * 0.8, "loss did not fall: " + losses);
    assertNotNull(summary, "no test/accuracy summary");
    double acc = summary.get("test/accuracy").asDouble();
    assertTrue(acc >= 0 && acc <= 1);
    assertEquals(8, summary.get("test/num_problems").asInt());
  }

  @Test
  void wrongOverrideKeyExitsTwoWithDidYouMean() {
    assertEquals(2, run("trainer.max_stepz=5"));
    assertTrue(err().contains("trainer.max_stepz") && err().contains("Did you mean 'trainer.max_steps'"), err());
    assertFalse(err().contains("\tat "), "stack trace printed: " + err());
  }

  @Test
  void missingGroupOptionListsTheAvailableOptions() {
    assertEquals(2, run("model=gpt2_huge"));
    assertTrue(err().contains("gpt2_huge") && err().contains("gpt2_tiny"), err());
  }

  @Test
  void typeMismatchNamesKeyExpectedTypeAndOrigin() {
    assertEquals(2, run("trainer.max_steps=abc", "run.dir=" + tmp.resolve("bad")));
    assertTrue(err().contains("trainer.max_steps") && err().contains("abc"), err());
    assertTrue(err().contains("command line"), "origin missing: " + err());
  }

  @Test
  void unknownKeyInAConfigFileNamesFileAndLine() throws Exception {
    Path conf = tmp.resolve("exp");
    Files.createDirectories(conf);
    Files.writeString(
        conf.resolve("typo.conf"),
        Files.readString(ROOT.resolve("conf/exp/sft/arith/tiny_sft.conf")) + "\ntrainer {\n  max_stepz = 5\n}\n");
    Map<String, String> env = new HashMap<>(System.getenv());
    CliIo io = new CliIo(new PrintStream(out, true), new PrintStream(err, true), env, ROOT);
    int rc =
        TrainerMain.run(
            new String[] {"-cp", conf.toString(), "-cn", "typo", "--config-root", ROOT.resolve("conf").toString(), "run.dir=" + tmp.resolve("r")},
            io);
    assertEquals(2, rc);
    assertTrue(err().contains("max_stepz") && err().contains("typo.conf:") && err().contains("max_steps"), err());
  }

  @Test
  void unknownObjectiveListsTheRegisteredOnes() {
    assertEquals(2, run("objective=sfft", "run.dir=" + tmp.resolve("o")));
    assertTrue(err().contains("Unknown objective 'sfft'") && err().contains("Did you mean 'sft'"), err());
  }

  @Test
  void cfgJobPrintsTheConfigWithoutRunning() {
    assertEquals(0, run("--cfg", "job", "optim.lr=0.123"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("lr=0.123"), printed);
  }
}

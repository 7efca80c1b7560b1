package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.ConfFiles;
import dev.stepwise.config.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  record TrainerCfg(int maxSteps, int batchSize, int logEvery) {}

  @TempDir Path cwd;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Map<String, String> env = new HashMap<>();
  final AtomicReference<ComposedConfig> ran = new AtomicReference<>();

  @BeforeEach
  void tree() {
    ConfFiles.standardTree(cwd.resolve("conf"));
  }

  private int run(String... args) {
    return run(c -> ran.set(c), args);
  }

  private int run(Job job, String... args) {
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        env, cwd);
    return Cli.run("trainer", args, job, io);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runsTheJobWithTheComposedConfig() {
    assertEquals(0, run("-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "trainer.max_steps=3"));
    ComposedConfig c = ran.get();
    assertNotNull(c);
    assertEquals(new TrainerCfg(3, 8, 10), c.bind("trainer", TrainerCfg.class));
    assertEquals("tiny_sft", c.configName());
    assertEquals(List.of("trainer.max_steps=3"), c.overrides());
    assertEquals("gpt2_tiny", c.choices().get("model"));
    assertEquals(cwd.resolve("conf").toAbsolutePath().normalize(), c.confRoot());
    assertEquals("", err());
  }

  @Test
  void cfgJobPrintsUnresolvedHoconAndDoesNotRunTheJob() {
    assertEquals(0, run("--config-path", "conf/exp/sft/arith", "--config-name", "tiny_sft.conf", "--cfg", "job", "optim=sgd"));
    assertNull(ran.get());
    assertTrue(out().contains("${name}"), out());
    com.typesafe.config.Config printed = ConfigFactory.parseString(out()).resolve();
    assertEquals(3e-4, printed.getDouble("optim.lr"));
    assertFalse(printed.hasPath("optim.weight_decay"));
    out.reset();
    assertEquals(0, run("-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "--cfg", "job", "--resolve"));
    assertFalse(out().contains("${"), out());
    assertTrue(out().contains("outputs/tiny_sft"), out());
    out.reset();
    assertEquals(0, run("-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "--cfg", "all"));
    assertEquals("gpt2_tiny", ConfigFactory.parseString(out()).getString("hydra.runtime.choices.model"));
  }

  @Test
  void infoDefaultsPrintsTheDefaultsList() {
    assertEquals(0, run("-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "--info", "defaults", "model=gpt2_small"));
    assertTrue(out().startsWith("Defaults List"), out());
    assertTrue(out().contains("model/gpt2_small") && out().contains("model/gpt2_small.conf"), out());
    assertNull(ran.get());
  }

  @Test
  void helpListsGroupsAndOptions() {
    assertEquals(0, run("-cp", "conf/exp/sft/arith", "--help"));
    assertTrue(out().startsWith("Usage: trainer"), out());
    assertTrue(out().contains("-cn, --config-name=NAME"), out());
    assertTrue(out().contains("  model: gpt2_small, gpt2_tiny\n"), out());
    assertTrue(out().contains("  model/tokenizer: bpe, char\n"), out());
    assertTrue(out().contains("  optim: adamw, sgd\n"), out());
    for (String flag : new String[] {"-m, --multirun", "--origins", "--resume=DIR", "-cd, --config-dir=DIR",
        "--info=defaults|config-groups|searchpath", "range(0,1,0.5)"}) {
      assertTrue(out().contains(flag), flag + " missing in\n" + out());
    }
    assertNull(ran.get());
  }

  @Test
  void userErrorsExitTwoWithOneLineAndNoStackTrace() {
    String[][] cases = {
        {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "trainer.max_stepz=1"},
        {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "+trainer.max_steps=1"},
        {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "~nope"},
        {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "model=gpt2_tiniest"},
        {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sfx"},
        {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "a=[1"},
        {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "--cfg", "jb"},
        {"-cp", "conf/exp/sft/arith", "--bogus"},
        {"-cp", "nowhere", "-cn", "x"},
    };
    for (String[] args : cases) {
      err.reset();
      assertEquals(2, run(args), String.join(" ", args));
      List<String> lines = err().lines().toList();
      assertEquals(1, lines.size(), err());
      assertTrue(lines.get(0).startsWith("Error: "), err());
      assertFalse(err().contains("\tat "), err());
    }
    assertNull(ran.get());
  }

  @Test
  void jobUserErrorsExitTwoAndBindingErrorsAreUserErrors() {
    assertEquals(2, run(c -> c.bind("trainer", TrainerCfg.class), "-cp", "conf/exp/sft/arith", "-cn", "tiny_sft",
        "trainer.max_steps=abc"));
    assertTrue(err().startsWith("Error: Type mismatch at 'trainer.max_steps' (command line override"), err());
    assertEquals(1, err().lines().count(), err());
  }

  @Test
  void fullErrorEnvAddsTheStackTrace() {
    env.put(Cli.FULL_ERROR_ENV, "1");
    assertEquals(2, run("-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "trainer.max_stepz=1"));
    assertTrue(err().startsWith("Error: Could not override 'trainer.max_stepz'"), err());
    assertTrue(err().contains("\tat dev.stepwise.config."), err());
  }

  @Test
  void otherExceptionsExitOneWithTheTrace() {
    assertEquals(1, run(c -> {
      throw new IllegalStateException("bug");
    }, "-cp", "conf/exp/sft/arith", "-cn", "tiny_sft"));
    assertTrue(err().contains("java.lang.IllegalStateException: bug") && err().contains("\tat "), err());
    err.reset();
    assertEquals(2, run(c -> {
      throw new UserError("bad data line 3");
    }, "-cp", "conf/exp/sft/arith", "-cn", "tiny_sft"));
    assertEquals("Error: bad data line 3", err().strip());
  }

  @Test
  void envFallbacksComeFromTheInjectedEnvironment() {
    ConfFiles.write(cwd.resolve("conf"), "exp/sft/arith/env.conf", "data = \"/d\"\ndata = ${?MY_DATA}\n");
    env.put("MY_DATA", "/from/env");
    assertEquals(0, run("-cp", "conf/exp/sft/arith", "-cn", "env"));
    assertEquals("/from/env", ran.get().config().getString("data"));
  }

  @Test
  void explicitConfigRootIsUsed() {
    ConfFiles.write(cwd, "elsewhere/x.conf", "defaults = [{optim: sgd}]\n");
    assertEquals(0, run("-cp", "elsewhere", "-cn", "x", "--config-root", "conf"));
    assertEquals(0.1, ran.get().config().getDouble("optim.lr"));
    assertEquals(1, ran.get().config().getInt("seed"));
  }
}

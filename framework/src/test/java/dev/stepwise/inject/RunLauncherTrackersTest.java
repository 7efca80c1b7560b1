package dev.stepwise.inject;

import static org.junit.jupiter.api.Assertions.*;

import com.google.inject.Guice;
import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Composer;
import dev.stepwise.config.UserError;
import dev.stepwise.run.wandb.WandbFileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher opens the trackers the config names (a list, or an object of per-tracker
 * settings), and a job that throws leaves a W&amp;B exit record with a non-zero code.
 */
class RunLauncherTrackersTest {
  @TempDir Path tmp;

  ComposedConfig compose(String name, String trackers) throws Exception {
    Path conf = tmp.resolve("conf");
    Files.createDirectories(conf);
    Files.writeString(conf.resolve("config.conf"), "seed = 1\nrun { dir = null, num_threads = 1 }\ntracker = [console]\n");
    Files.writeString(conf.resolve(name + ".conf"), "objective = none\n");
    return Composer.load(conf, name, "run.dir=" + tmp.resolve(name), "tracker=" + trackers);
  }

  Path wandbFile(String name) throws Exception {
    try (Stream<Path> s = Files.walk(tmp.resolve(name).resolve("wandb"))) {
      return s.filter(p -> p.toString().endsWith(".wandb")).findFirst().orElseThrow();
    }
  }

  @Test
  void aFailingJobWritesANonZeroExitRecord() throws Exception {
    ComposedConfig cfg = compose("boom", "{jsonl: {}, wandb: {project: launcher-test, name: boom}}");
    RunLauncher launcher = Guice.createInjector(new FrameworkModule(cfg)).getInstance(RunLauncher.class);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> launcher.launch(ctx -> {
      ctx.tracker().log(1, Map.of("loss", 0.5));
      throw new IllegalStateException("job failed");
    }));
    assertEquals("job failed", e.getMessage());
    WandbFileReader.Decoded d = WandbFileReader.decode(wandbFile("boom"));
    assertEquals(1, d.exitCode());
    assertEquals("launcher-test", d.run().project());
    assertEquals("boom", d.run().displayName());
    assertEquals(List.of(1L), d.historySteps());
    assertEquals("\"launcher-test\"", d.config().get("tracker.wandb.project"));
    assertTrue(Files.readString(tmp.resolve("boom").resolve("metrics.jsonl")).contains("\"loss\":0.5"));

    ComposedConfig bad = compose("usererr", "[wandb]");
    RunLauncher l2 = Guice.createInjector(new FrameworkModule(bad)).getInstance(RunLauncher.class);
    assertThrows(UserError.class, () -> l2.launch(ctx -> {
      throw new UserError("bad input");
    }));
    WandbFileReader.Decoded d2 = WandbFileReader.decode(wandbFile("usererr"));
    assertEquals(2, d2.exitCode());
    assertEquals("stepwise", d2.run().project(), "defaults when tracker is a plain list");
  }
}

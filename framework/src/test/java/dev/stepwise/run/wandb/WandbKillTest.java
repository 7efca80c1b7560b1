package dev.stepwise.run.wandb;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with {@code kill -9} mid-run leaves a file whose complete records all decode. */
class WandbKillTest {
  @TempDir Path tmp;

  Path log;

  Process startChild() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    log = tmp.resolve("child.log");
    return new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
            WandbWriterChild.class.getName(), tmp.resolve("runs").toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Waits until the child's run file holds more than {@code bytes}; returns its path. */
  Path waitForBytes(Process p, long bytes) throws Exception {
    Path file = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (file == null) {
        file = Files.readAllLines(log).stream().filter(l -> l.startsWith("file ")).map(l -> Path.of(l.substring(5)))
            .findFirst().orElse(null);
      }
      if (file != null && Files.exists(file) && Files.size(file) > bytes) {
        return file;
      }
      assertTrue(p.isAlive(), "child died: " + Files.readString(log));
      Thread.sleep(20);
    }
    fail("child wrote too little in 60 s: " + Files.readString(log));
    return null;
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void sigtermWritesTheSummaryAndExitCode255() throws Exception {
    Process p = startChild();
    try {
      Path file = waitForBytes(p, 100_000);
      Process term = new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).inheritIO().start();
      assertEquals(0, term.waitFor());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      WandbFileReader.Decoded d = WandbFileReader.decode(file);
      assertFalse(d.truncated());
      int n = d.history().size();
      assertTrue(n >= 5, "history rows: " + n);
      assertEquals(List.of("summary", "exit", "final"), d.kinds().subList(d.kinds().size() - 3, d.kinds().size()));
      assertEquals(3 + n + 3, d.kinds().size());
      assertEquals(255, d.exitCode());
      assertEquals(String.valueOf(n), d.summary().get("_step"));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void killNineMidRunLeavesOnlyCompleteDecodableRecords() throws Exception {
    Process p = startChild();
    try {
      Path file = waitForBytes(p, 600_000);
      Process kill = new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, p.exitValue(), "killed by SIGKILL");

      WandbFileReader.Decoded d = WandbFileReader.decode(file);
      assertEquals(List.of("header", "run", "config"), d.kinds().subList(0, 3));
      assertFalse(d.kinds().contains("exit"), "a killed run has no exit record");
      int n = d.history().size();
      assertTrue(n >= 20, "history rows: " + n);
      for (int i = 0; i < n; i++) {
        assertEquals(i + 1L, d.historySteps().get(i));
        assertEquals(1.0 / (i + 1), Double.parseDouble(d.history().get(i).get("train/loss")));
        if ((i + 1) % 5 == 0) {
          assertEquals(40_002, d.history().get(i).get("train/sample").length());
        }
      }
      assertEquals(File.separator + "run-" + d.run().runId() + ".wandb",
          file.toString().substring(file.toString().lastIndexOf(File.separator)));
    } finally {
      p.destroyForcibly();
    }
  }
}

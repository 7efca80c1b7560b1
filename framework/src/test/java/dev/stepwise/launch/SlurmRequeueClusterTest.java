package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.ConfFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher.requeue} on a real single-node Slurm ({@link LocalSlurmCluster}): a one-job
 * sweep of {@link StopProbeMain} submitted by the launcher; once it has counted a few steps the
 * batch shell gets SIGUSR1 ({@code scancel --signal=USR1 --batch}, what {@code
 * --signal=B:USR1@120} sends before the time limit); the shell forwards it, the probe saves its
 * step and exits with 138, the script requeues the task, and the requeued run
 * ({@code SLURM_RESTART_COUNT=1}) continues from the saved step to the end. Skipped with the
 * reason when Slurm is not installed or cannot start here, as {@link SlurmClusterTest} is.
 */
class SlurmRequeueClusterTest {
  @TempDir Path tmp;

  @Test
  void aTaskStoppedBySigusr1IsRequeuedAndResumes() throws Exception {
    String why = LocalSlurmCluster.missing();
    Assumptions.assumeTrue(why == null, why);
    Path cwd = Files.createDirectories(tmp.resolve("work"));
    Path marks = Files.createDirectories(cwd.resolve("marks"));
    ConfFiles.write(cwd, "conf/config.conf", String.join("\n",
        "defaults = [{launcher: serial}, _self_]",
        "steps = 40", "marks = \"" + marks + "\"",
        "run { dir = null, num_threads = 1, stop_signals = [TERM, INT], checkpoint_on_stop = true }",
        "sweep { dir = null, params {} }", ""));
    ConfFiles.write(cwd, "conf/launcher/serial.conf", "");
    ConfFiles.write(cwd, "conf/launcher/slurm.conf", Files.readString(Path.of("../conf/launcher/slurm.conf")));
    LocalSlurmCluster cluster;
    try {
      cluster = LocalSlurmCluster.start(tmp.resolve("slurm"), 30);
    } catch (IllegalStateException e) {
      Assumptions.abort("Slurm is installed but a single-node cluster cannot start in this sandbox: " + e.getMessage());
      return;
    }
    try (cluster) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          StopProbeMain.class.getName(), "-cp", "conf", "-m", "launcher=slurm", "launcher.mem_gb=1",
          "launcher.cpus_per_task=1", "launcher.timeout_min=10", "launcher.requeue=true", "steps=40")
          .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("sweep.log").toFile());
      pb.environment().putAll(cluster.env());
      Process p = pb.start();
      Path runs = marks.resolve("runs.txt");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(Files.exists(runs) && Files.readString(runs).contains("step 3\n")) && System.nanoTime() < deadline) {
        assertTrue(p.isAlive(), Files.readString(tmp.resolve("sweep.log")) + cluster.logTails());
        Thread.sleep(20);
      }
      Matcher m = Pattern.compile("Submitted batch job (\\d+)").matcher(Files.readString(tmp.resolve("sweep.log")));
      assertTrue(m.find(), Files.readString(tmp.resolve("sweep.log")));
      ProcessBuilder scancel = new ProcessBuilder("scancel", "--signal=USR1", "--batch", m.group(1) + "_0").inheritIO();
      scancel.environment().putAll(cluster.env());
      assertEquals(0, scancel.start().waitFor());
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), Files.readString(tmp.resolve("sweep.log")) + cluster.logTails());
      String out = Files.readString(tmp.resolve("sweep.log"));
      assertEquals(0, p.exitValue(), out + cluster.logTails());
      List<String> starts = Files.readAllLines(runs).stream().filter(l -> l.startsWith("start ")).toList();
      assertEquals(2, starts.size(), Files.readString(runs));
      assertEquals("start 0 0", starts.get(0));
      String[] again = starts.get(1).split(" ");
      assertTrue(Integer.parseInt(again[1]) >= 3 && Integer.parseInt(again[2]) >= 1, "the requeued run resumes: " + starts);
      assertTrue(Files.readString(runs).contains("step 40\n"), Files.readString(runs));
      assertTrue(out.contains("[sweep] 1 ok, 0 failed, 0 pending"), out);
    }
  }
}

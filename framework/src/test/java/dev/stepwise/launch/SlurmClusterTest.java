package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.ConfFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code slurm} launcher against a real Slurm: a throwaway single-node cluster on 127.0.0.1
 * ({@link LocalSlurmCluster}) runs a 2-job sweep of {@link SweepProbeMain} submitted by the
 * launcher with {@code sbatch --wait} (not a dry run). Skipped with the reason when Slurm
 * ({@code slurm-wlm}) is not installed, the test does not run as root, or the daemons cannot
 * start in this sandbox.
 */
class SlurmClusterTest {
  @TempDir Path tmp;

  @Test
  void aTwoJobArrayRunsThroughARealSingleNodeSlurm() throws Exception {
    String why = LocalSlurmCluster.missing();
    Assumptions.assumeTrue(why == null, why);
    Path cwd = Files.createDirectories(tmp.resolve("work"));
    Path marks = Files.createDirectories(cwd.resolve("marks"));
    ConfFiles.write(cwd, "conf/config.conf", String.join("\n",
        "defaults = [{launcher: serial}, _self_]",
        "x = 0", "y = a", "marks = \"" + marks + "\"",
        "run { dir = null, num_threads = 1 }",
        "sweep { dir = null, params {} }", ""));
    ConfFiles.write(cwd, "conf/launcher/serial.conf", "");
    // The repository's own launcher config, as users get it.
    ConfFiles.write(cwd, "conf/launcher/slurm.conf", Files.readString(Path.of("../conf/launcher/slurm.conf")));

    long t0 = System.nanoTime();
    LocalSlurmCluster cluster;
    try {
      cluster = LocalSlurmCluster.start(tmp.resolve("slurm"), 30);
    } catch (IllegalStateException e) {
      Assumptions.abort("Slurm is installed but a single-node cluster cannot start in this sandbox: " + e.getMessage());
      return;
    }
    try (cluster) {
      double startS = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      // A child JVM, as a user runs a sweep: SLURM_CONF in its environment reaches sbatch and the jobs.
      String java = ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          SweepProbeMain.class.getName(), "-cp", "conf", "-m", "launcher=slurm", "launcher.mem_gb=1",
          "launcher.cpus_per_task=1", "launcher.timeout_min=5", "x=1,2")
          .directory(cwd.toFile()).redirectErrorStream(true);
      pb.environment().putAll(cluster.env());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
      double sweepS = (System.nanoTime() - t1) / 1e9;
      System.out.printf("[SlurmClusterTest] %s cluster up in %.1f s, 2-job sweep through sbatch in %.1f s%n",
          LocalSlurmCluster.hasAuthNone() ? "auth/none" : "auth/munge", startS, sweepS);
      assertEquals(0, p.exitValue(), out + "\n" + cluster.logTails());

      Matcher m = Pattern.compile("sbatch: Submitted batch job (\\d+)").matcher(out);
      assertTrue(m.find(), "the launcher must submit with sbatch: " + out);
      Path dir = sweepDir(cwd);
      for (int k = 0; k < 2; k++) {
        assertTrue(Files.readString(dir.resolve(k + "/status")).startsWith("ok "), "job " + k + "\n" + out);
        assertTrue(Files.isRegularFile(dir.resolve(k + "/metrics.jsonl")), "job " + k);
        // Slurm's own per-task output file: the task really ran as array task k of that job.
        assertTrue(Files.isRegularFile(dir.resolve("slurm-" + m.group(1) + "_" + k + ".log")), "array task " + k);
      }
      List<String> ran = new ArrayList<>(Files.readAllLines(marks.resolve("ran.txt")));
      Collections.sort(ran);
      assertEquals(List.of("1 a", "2 a"), ran);
      List<String> rows = Files.readAllLines(dir.resolve("summary.tsv"));
      assertEquals(3, rows.size(), String.join("\n", rows));
      assertEquals("job\toverrides\tstatus\twall_s\tfinal_score\ty", rows.get(0));
      assertTrue(rows.get(1).startsWith("0\t") && rows.get(1).contains("x=1\tok\t") && rows.get(1).endsWith("\t10.0\ta"),
          rows.get(1));
      assertTrue(rows.get(2).startsWith("1\t") && rows.get(2).contains("x=2\tok\t") && rows.get(2).endsWith("\t20.0\ta"),
          rows.get(2));
      assertTrue(out.contains("[sweep] 2 ok, 0 failed, 0 pending"), out);
    }
  }

  private static Path sweepDir(Path cwd) throws Exception {
    try (Stream<Path> s = Files.walk(cwd.resolve("multirun"))) {
      return s.filter(p -> p.getFileName().toString().equals(MultirunDir.MANIFEST)).findFirst().orElseThrow().getParent();
    }
  }
}

package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The array script's signal handling, run by bash as Slurm would run one array task: a stand-in
 * {@code java} (a shell script that records its arguments and the signals it gets, and exits
 * with 128 + the signal as the real JVM does) and a stand-in {@code scontrol} on the {@code PATH}
 * that records its arguments (a real Slurm runs the launcher in {@link SlurmClusterTest} and
 * {@link SlurmRequeueClusterTest}). The batch shell is sent the signal, as {@code
 * --signal=B:USR1@120} does.
 */
class SlurmRequeueScriptTest {
  @TempDir Path tmp;
  Path bin;

  @BeforeEach
  void fakes() throws Exception {
    Assumptions.assumeTrue(SlurmLauncher.onPath("bash") != null && SlurmLauncher.onPath("kill") != null, "no bash/kill");
    bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"), String.join("\n", "#!/usr/bin/env bash",
        "printf '%s\\n' \"$@\" > \"$OUT/args\"",
        "trap 'echo USR1 >> \"$OUT/signals\"; exit 138' USR1",
        "trap 'echo TERM >> \"$OUT/signals\"; exit 143' TERM",
        "touch \"$OUT/started\"",
        "while :; do sleep 0.02; done", ""));
    Path scontrol = Files.writeString(bin.resolve("scontrol"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"$OUT/scontrol\"\n");
    assertTrue(java.toFile().setExecutable(true) && scontrol.toFile().setExecutable(true));
  }

  /** Runs array task 0 of a one-job script, sends {@code signal} to the batch shell once the JVM runs; returns the exit code. */
  int runTask(boolean requeue, String signal, int restartCount) throws Exception {
    SlurmLauncher.Settings s = new SlurmLauncher.Settings(null, 0, 1, 1, 1, 0, false, null, "USR1", 90, requeue);
    String text = SlurmScript.render(s, "t", tmp.resolve("sweep"), tmp, new JvmCommand(bin.resolve("java").toString(), List.of(),
        "cp", "Main"), List.of("-cn", "x", "++run.stop_signals=[TERM,INT,USR1]"), List.of(new SweepJob(0, List.of("a=1"))), true);
    assertTrue(text.contains("#SBATCH --signal=B:USR1@90\n"), text);
    assertEquals(requeue, text.contains("#SBATCH --requeue\n"), text);
    Path f = Files.writeString(tmp.resolve("s.sbatch"), text);
    ProcessBuilder pb = new ProcessBuilder("bash", f.toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("OUT", tmp.toString());
    pb.environment().put("SLURM_ARRAY_TASK_ID", "0");
    pb.environment().put("SLURM_ARRAY_JOB_ID", "77");
    pb.environment().put("SLURM_JOB_ID", "78");
    pb.environment().put("SLURM_RESTART_COUNT", String.valueOf(restartCount));
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(tmp.resolve("started")) && System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), () -> "the task ended before its JVM started");
      Thread.sleep(5);
    }
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
    assertEquals(List.of(signal), Files.readAllLines(tmp.resolve("signals")), "the shell forwards " + signal + " once");
    return p.exitValue();
  }

  String status() throws Exception {
    return Files.readString(tmp.resolve("sweep/0/status")).strip();
  }

  @Test
  void aTaskStoppedByTheSignalIsRequeuedAndItsRestartResumes() throws Exception {
    assertEquals(138, runTask(true, "USR1", 1));
    assertTrue(status().startsWith("requeued 138 "), status());
    assertEquals(List.of("requeue", "77_0"), Files.readAllLines(tmp.resolve("scontrol")));
    List<String> args = Files.readAllLines(tmp.resolve("args"));
    assertEquals(List.of("-cp", "cp", "Main", "-cn", "x", "++run.stop_signals=[TERM,INT,USR1]", "a=1",
        "++run.dir=" + tmp.resolve("sweep/0"), "trainer.resume=auto"), args);
  }

  @Test
  void withoutRequeueTheTaskFailsWithTheSignalsCode() throws Exception {
    assertEquals(138, runTask(false, "USR1", 0));
    assertEquals("failed 138", status().substring(0, "failed 138".length()));
    assertFalse(Files.exists(tmp.resolve("scontrol")));
    assertFalse(Files.readAllLines(tmp.resolve("args")).contains("trainer.resume=auto"), "a first run does not force resume");
  }

  @Test
  void sigtermIsForwardedButNotRequeued() throws Exception {
    assertEquals(143, runTask(true, "TERM", 0));
    assertTrue(status().startsWith("failed 143 "), status());
    assertFalse(Files.exists(tmp.resolve("scontrol")), "scancel (SIGTERM) must not requeue");
  }
}

package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm launcher's array script: golden file ({@code -Dgolden.update=true} rewrites it; review
 * the diff), {@code bash -n} and one array task run by bash. A real Slurm runs the script in
 * {@link SlurmClusterTest}. */
class SlurmScriptTest {
  static final Path GOLDEN = Path.of("src/test/resources/launch/sweep.sbatch.golden");
  @TempDir Path tmp;

  static String script() {
    SlurmLauncher.Settings s = new SlurmLauncher.Settings("gpu", 1, 8, 32, 90, 2, true, List.of("module load java/17"), "USR1", 120,
        true);
    JvmCommand jvm = new JvmCommand("/usr/bin/java", List.of("-Xmx4g", "-Dai.djl.offline=true"), "/opt/stepwise/trainer.jar",
        "dev.stepwise.entry.TrainerMain");
    List<SweepJob> jobs = List.of(new SweepJob(0, List.of("dpo.beta=0.1", "optim.lr=1e-5")),
        new SweepJob(1, List.of("dpo.beta=0.1", "optim.lr=1e-4")),
        new SweepJob(3, List.of("name='it''s'", "+tags=[a, b]")));
    return SlurmScript.render(s, "dpo_beta_lr", Path.of("/sweeps/dpo/2026-01-01/10-00-00"), Path.of("/home/u/stepwise"), jvm,
        List.of("-cp", "/home/u/stepwise/conf/exp/dpo", "-cn", "tiny_dpo"), jobs, true);
  }

  @Test
  void matchesTheGoldenFile() throws Exception {
    if (Boolean.getBoolean("golden.update")) Files.writeString(GOLDEN, script());
    assertEquals(Files.readString(GOLDEN), script());
  }

  @Test
  void bashAcceptsItsSyntax() throws Exception {
    Assumptions.assumeTrue(SlurmLauncher.onPath("bash") != null, "bash is not installed");
    Path f = Files.writeString(tmp.resolve("sweep.sbatch"), script());
    Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
    String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), msg);
    Path bad = Files.writeString(tmp.resolve("bad.sbatch"), script().replace("esac", ""));
    Process q = new ProcessBuilder("bash", "-n", bad.toString()).redirectErrorStream(true).start();
    q.getInputStream().readAllBytes();
    assertTrue(q.waitFor(20, TimeUnit.SECONDS));
    assertTrue(q.exitValue() != 0, "bash -n must reject a broken script");
  }

  @Test
  void arrayTaskRunsItsJobWithTheRightArguments() throws Exception {
    Assumptions.assumeTrue(SlurmLauncher.onPath("bash") != null, "bash is not installed");
    // Run the generated script's task 2 with a fake "java" that records its arguments.
    Path fake = Files.writeString(tmp.resolve("java"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"$OUT\"\n");
    fake.toFile().setExecutable(true);
    Path dir = tmp.resolve("sweep");
    String text = SlurmScript.render(new SlurmLauncher.Settings(null, 0, 1, 1, 1, 0, true, null, null, 0, false), "t", dir, tmp,
        new JvmCommand(fake.toString(), List.of(), "cp", "Main"), List.of("-cn", "x"),
        List.of(new SweepJob(0, List.of("a=1")), new SweepJob(1, List.of("a=2", "name='x y'"))), false);
    Path f = Files.writeString(tmp.resolve("s.sbatch"), text);
    ProcessBuilder pb = new ProcessBuilder("bash", f.toString()).redirectErrorStream(true);
    pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
    pb.environment().put("OUT", tmp.resolve("args.txt").toString());
    Process p = pb.start();
    String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), msg);
    assertEquals(List.of("-cp", "cp", "Main", "-cn", "x", "a=2", "name='x y'", "++run.dir=" + dir.resolve("1")),
        Files.readAllLines(tmp.resolve("args.txt")));
    assertTrue(Files.readString(dir.resolve("1/status")).startsWith("ok "));
    assertTrue(!text.contains("--partition") && !text.contains("--gpus-per-node") && text.contains("#SBATCH --array=0-1\n"));
  }

  @Test
  void arrayTaskJvmGetsThisJvmsVectorModuleFlag() throws Exception {
    Assumptions.assumeTrue(SlurmLauncher.onPath("bash") != null, "bash is not installed");
    JvmCommandTest.assumeThisJvmHasTheFlag();
    // The launcher renders the script from JvmCommand.current(main): run its task 0 with real java.
    Path dir = tmp.resolve("sweep");
    String text = SlurmScript.render(new SlurmLauncher.Settings(null, 0, 1, 1, 1, 0, true, null, null, 0, false), "t", dir, tmp,
        JvmCommand.current(VectorProbeMain.class), List.of("-cn", "x"), List.of(new SweepJob(0, List.of("a=1"))), false);
    String javaLine = text.lines().filter(l -> l.contains(VectorProbeMain.class.getName())).findFirst().orElseThrow();
    assertTrue(javaLine.indexOf(" " + JvmCommandTest.FLAG + " ") < javaLine.indexOf(" -cp ")
        && javaLine.contains(" " + JvmCommandTest.FLAG + " "), javaLine.substring(0, javaLine.indexOf(" -cp ")));
    Path f = Files.writeString(tmp.resolve("s.sbatch"), text);
    ProcessBuilder pb = new ProcessBuilder("bash", f.toString()).redirectErrorStream(true);
    pb.environment().put("SLURM_ARRAY_TASK_ID", "0");
    Process p = pb.start();
    String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String log = Files.readString(dir.resolve("0/job.log"));
    assertEquals(0, p.exitValue(), msg + log);
    assertEquals("true", JvmCommandTest.line(log, "vector"), log);
    assertTrue(JvmCommandTest.line(log, "jvmArgs").contains(JvmCommandTest.FLAG), log);
  }
}

package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.cli.CliIo;
import dev.stepwise.config.ConfFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sweeps of {@link SweepProbeMain}: in process (serial) and in two child JVMs (local). */
class MultirunTest {
  @TempDir Path cwd;
  Path marks;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void tree() throws Exception {
    marks = Files.createDirectories(cwd.resolve("marks"));
    ConfFiles.write(cwd, "conf/config.conf", String.join("\n",
        "defaults = [{launcher: serial}, _self_]",
        "x = 0", "y = a", "marks = \"" + marks + "\"",
        "run { dir = null, num_threads = 1 }",
        "sweep { dir = null, params {} }", ""));
    ConfFiles.write(cwd, "conf/launcher/serial.conf", "");
    ConfFiles.write(cwd, "conf/launcher/local.conf", "n_jobs = 2\njvm_args = []\n");
  }

  private int run(String... args) {
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(), cwd);
    return SweepProbeMain.run(args, io);
  }

  private Path sweepDir() throws Exception {
    try (Stream<Path> s = Files.walk(cwd.resolve("multirun"))) {
      return s.filter(p -> p.getFileName().toString().equals(MultirunDir.MANIFEST)).findFirst().orElseThrow().getParent();
    }
  }

  private List<String> ran() throws Exception {
    List<String> l = new ArrayList<>(Files.readAllLines(marks.resolve("ran.txt")));
    Collections.sort(l);
    return l;
  }

  private void sweepFailResume(String launcher) throws Exception {
    Files.writeString(marks.resolve("fail-2-b"), "");
    assertEquals(1, run("-cp", "conf", "-m", "launcher=" + launcher, "x=1,2", "y=a,b,c"));
    Path dir = sweepDir();
    assertTrue(dir.startsWith(cwd.resolve("multirun/config")), dir.toString());
    assertEquals(List.of("1 a", "1 b", "1 c", "2 a", "2 b", "2 c"), ran());
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("[sweep] job 4 FAILED (exit 1)") && e.contains("x=2 y=b; log: " + dir.resolve("4/job.log")), e);
    assertTrue(Files.readString(dir.resolve("4/job.log")).contains("probe asked to fail"));
    List<String> rows = Files.readAllLines(dir.resolve("summary.tsv"));
    assertEquals("job\toverrides\tstatus\twall_s\tfinal_score\ty", rows.get(0));
    assertEquals(7, rows.size());
    assertTrue(rows.get(1).startsWith("0\tlauncher=" + launcher + " x=1 y=a\tok\t") && rows.get(1).endsWith("\t10.0\ta"), rows.get(1));
    assertTrue(rows.get(5).startsWith("4\tlauncher=" + launcher + " x=2 y=b\tfailed(1)\t") && rows.get(5).endsWith("\t\t"), rows.get(5));
    assertTrue(rows.get(6).endsWith("\t20.0\tc"), rows.get(6));

    Files.delete(marks.resolve("fail-2-b"));
    Files.delete(marks.resolve("ran.txt"));
    out.reset();
    assertEquals(0, run("--resume", dir.toString()));
    assertEquals(List.of("2 b"), ran());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("1 of 6 jobs did not finish"));
    rows = Files.readAllLines(dir.resolve("summary.tsv"));
    assertTrue(rows.get(5).startsWith("4\tlauncher=" + launcher + " x=2 y=b\tok\t") && rows.get(5).endsWith("\t20.0\tb"), rows.get(5));
    assertEquals(6, rows.stream().skip(1).filter(r -> r.split("\t")[2].equals("ok")).count());
  }

  @Test
  void serialSweepReportsAFailureAndResumeRerunsOnlyIt() throws Exception {
    sweepFailResume("serial");
  }

  @Test
  void localLauncherRunsChildJvmsAndResumes() throws Exception {
    sweepFailResume("local");
    if (java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().contains(JvmCommandTest.FLAG)) {
      // every child JVM got this JVM's --add-modules=jdk.incubator.vector (the Java CPU decoder needs it)
      assertEquals(List.of("true"), Files.readAllLines(marks.resolve("vector.txt")).stream().distinct().toList());
    }
    assertTrue(Files.isRegularFile(sweepDir().resolve("0/job.log")));
    assertTrue(Files.isRegularFile(sweepDir().resolve("0/metrics.jsonl")));
  }

  @Test
  void aTypoInOneJobFailsBeforeAnyJobStarts() throws Exception {
    assertEquals(2, run("-cp", "conf", "-m", "x=1,2", "+z=1", "y=a,${nope}"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Error: Sweep job 1 (x=1 +z=1 y=${nope}): Could not resolve"),
        err.toString(StandardCharsets.UTF_8));
    assertTrue(!Files.exists(marks.resolve("ran.txt")) && !Files.exists(cwd.resolve("multirun")));
  }

  @Test
  void launcherAndSweepKeysAreBoundStrictly() throws Exception {
    assertEquals(2, run("-cp", "conf", "-m", "launcher=local", "+launcher.n_jobz=3", "x=1,2"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Error: Unknown key 'launcher.n_jobz' (command line override "
        + "'+launcher.n_jobz=3'). Did you mean 'launcher.n_jobs'?"), err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(2, run("-cp", "conf", "-m", "+sweep.dri=x", "x=1,2"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Error: Unknown key 'sweep.dri'"), err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(2, run("-cp", "conf", "-m", "launcher.n_jobs=0", "launcher=local", "x=1,2"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("launcher.n_jobs must be at least 1, got 0"),
        err.toString(StandardCharsets.UTF_8));
    assertTrue(!Files.exists(cwd.resolve("multirun")));
  }

  @Test
  void sweepParamsInTheConfig() throws Exception {
    assertEquals(0, run("-cp", "conf", "-m", "++sweep.params={x: '3,4'}"));
    assertEquals(List.of("3 a", "4 a"), ran());
  }
}

package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A 2 x 3 sweep of short arith SFT runs with the {@code local} launcher (2 child JVMs at once):
 * one job is made to fail (its run directory cannot be created), the failure is reported while
 * the other jobs still run, {@code summary.tsv} is right, and {@code --resume} re-runs only that
 * job.
 */
class TrainerSweepTest {
  static final Path ROOT = TrainerMainTest.ROOT;
  @TempDir Path tmp;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();

  int run(List<String> args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("STEPWISE_FULL_ERROR");
    PrintStream both = new PrintStream(log, true, StandardCharsets.UTF_8);
    return TrainerMain.run(args.toArray(String[]::new), new CliIo(both, both, env, ROOT));
  }

  @Test
  void localSweepWithAFailureThenResume() throws Exception {
    Path sweep = tmp.resolve("sweep");
    Files.createDirectories(sweep.resolve("4"));
    Files.writeString(sweep.resolve("4/checkpoints"), "a file where the run's checkpoints directory must go");
    List<String> args = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sft/arith").toString(), "-cn", "tiny_sft",
        "-m", "launcher=local", "launcher.n_jobs=2", "sweep.dir=" + sweep,
        "optim.lr=1e-3,3e-3", "model.n_embd=16,32,48",
        "model.n_layer=1", "model.n_head=2", "model.n_positions=256", "task.max_steps=1", "task.num_train=200",
        "task.num_test=10", "trainer.max_steps=20", "trainer.logging_steps=10", "trainer.eval_steps=0",
        "trainer.save_steps=20", "trainer.progress_bar=false", "eval.num_problems=2", "eval.max_tokens=16",
        "test.num_problems=4", "run.num_threads=1"));
    assertEquals(1, run(args), log.toString(StandardCharsets.UTF_8));
    String text = log.toString(StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    int failedAt = indexOf(lines, "[sweep] job 4 FAILED (exit 1)");
    assertTrue(failedAt >= 0 && lines.get(failedAt).endsWith("log: " + sweep.resolve("4/job.log")), text);
    assertTrue(failedAt < indexOf(lines, "[sweep] job 5 ok"), "the failure must be reported while job 5 still runs:\n" + text);
    assertTrue(text.contains("[sweep] 5 ok, 1 failed, 0 pending"), text);

    List<String> rows = Files.readAllLines(sweep.resolve("summary.tsv"));
    assertEquals(7, rows.size(), String.join("\n", rows));
    List<String> header = List.of(rows.get(0).split("\t"));
    assertEquals(List.of("job", "overrides", "status", "wall_s"), header.subList(0, 4));
    int acc = header.indexOf("test/accuracy");
    assertTrue(acc > 3, rows.get(0));
    String[] expected = {"optim.lr=1e-3", "model.n_embd=16", "optim.lr=1e-3", "model.n_embd=32", "optim.lr=1e-3", "model.n_embd=48",
        "optim.lr=3e-3", "model.n_embd=16", "optim.lr=3e-3", "model.n_embd=32", "optim.lr=3e-3", "model.n_embd=48"};
    for (int j = 0; j < 6; j++) {
      String[] cells = rows.get(j + 1).split("\t", -1);
      assertEquals(String.valueOf(j), cells[0]);
      assertTrue(cells[1].contains(expected[2 * j] + " model.n_embd") && cells[1].contains(expected[2 * j + 1]), cells[1]);
      assertEquals(j == 4 ? "failed(1)" : "ok", cells[2], rows.get(j + 1));
      if (j != 4) {
        double a = Double.parseDouble(cells[acc]);
        assertTrue(a >= 0 && a <= 1, rows.get(j + 1));
      }
    }
    Path job0 = sweep.resolve("0");
    for (String f : List.of("config.conf", "command.txt", "rerun.sh", "metrics.jsonl", "status", "job.log")) {
      assertTrue(Files.isRegularFile(job0.resolve(f)), f);
    }
    String cmd = Files.readString(job0.resolve("command.txt"));
    assertTrue(cmd.contains("dev.stepwise.entry.TrainerMain -cp ") && cmd.contains(" optim.lr=1e-3 "), cmd);
    if (java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().contains("--add-modules=jdk.incubator.vector")) {
      // the child JVM got this JVM's Vector API flag (the Java CPU decoder needs it) and records it
      assertTrue(cmd.contains(" --add-modules=jdk.incubator.vector "), cmd);
      assertTrue(Files.readString(job0.resolve("rerun.sh")).contains(" --add-modules=jdk.incubator.vector "));
    }
    assertTrue(Files.readString(job0.resolve("config.conf")).contains("\"n_embd\"=16"));
    byte[] job0Metrics = Files.readAllBytes(job0.resolve("metrics.jsonl"));

    Files.delete(sweep.resolve("4/checkpoints"));
    log.reset();
    assertEquals(0, run(List.of("--resume", sweep.toString())), log.toString(StandardCharsets.UTF_8));
    text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("1 of 6 jobs did not finish") && text.contains("[sweep] job 4 ok") && !text.contains("job 0 ok"), text);
    assertTrue(java.util.Arrays.equals(job0Metrics, Files.readAllBytes(job0.resolve("metrics.jsonl"))), "job 0 ran again");
    rows = Files.readAllLines(sweep.resolve("summary.tsv"));
    assertEquals(6, rows.stream().skip(1).filter(r -> r.split("\t")[2].equals("ok")).count(), String.join("\n", rows));
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
    return -1;
  }
}

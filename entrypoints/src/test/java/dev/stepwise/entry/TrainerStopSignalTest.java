package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.run.wandb.WandbFileReader;
import dev.stepwise.train.CheckpointManager;
import dev.stepwise.train.TrainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SFT job ({@code TrainerMain}, the repository's {@code tiny_sft}, shrunk) in child JVMs,
 * stopped by signals at four points and resumed each time on the same run directory, against one
 * uninterrupted run: SIGTERM during data loading, SIGINT sent to a re-launching parent JVM in the
 * middle of the training steps (the parent forwards it), SIGTERM while a checkpoint is being
 * written, SIGTERM during an evaluation. Each stopped run must exit with 143 (130 for SIGINT),
 * leave no {@code hs_err_pid*.log} and no native-crash output, and leave only complete
 * checkpoints, the newest at the last step it logged; the last run ends at the same final loss,
 * bit for bit, as the uninterrupted one (exact resume). The run stopped while checkpointing also
 * logs to W&amp;B: its exit record holds 143.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class TrainerStopSignalTest {
  static final int MAX_STEPS = 24;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  ChildJob start(String name, Path runDir, boolean vectorModule, String... more) throws IOException {
    List<String> a = args(runDir);
    a.addAll(List.of(more));
    return ChildJob.start(tmp.resolve("cwd"), name, TrainerMain.class, vectorModule, a);
  }

  static List<String> args(Path runDir) {
    return new ArrayList<>(List.of("-cp", ChildJob.ROOT.resolve("conf/exp/sft/arith").toString(), "-cn", "tiny_sft",
        "run.dir=" + runDir, "run.num_threads=1", "model.n_embd=64", "model.n_layer=2", "model.n_head=2",
        "task.num_train=400", "task.num_test=20", "trainer.max_steps=" + MAX_STEPS, "trainer.logging_steps=1",
        "trainer.eval_steps=6", "trainer.save_steps=4", "trainer.per_device_train_batch_size=8",
        "trainer.progress_bar=false", "eval.num_problems=4", "eval.max_tokens=24", "test.num_problems=2"));
  }

  /** @return step to training loss, from {@code metrics.jsonl} (a resumed run's lines replace earlier ones) */
  static TreeMap<Long, Double> losses(Path runDir) {
    TreeMap<Long, Double> out = new TreeMap<>();
    Path f = runDir.resolve("metrics.jsonl");
    try {
      if (!Files.exists(f)) {
        return out;
      }
      for (String line : Files.readAllLines(f)) {
        if (!line.endsWith("}")) {
          continue; // a line being written
        }
        JsonNode n = JSON.readTree(line);
        if (n.has("loss") && n.has("step")) {
          out.put(n.get("step").asLong(), n.get("loss").asDouble());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static long lastStep(Path runDir) {
    TreeMap<Long, Double> l = losses(runDir);
    return l.isEmpty() ? 0 : l.lastKey();
  }

  static List<Path> checkpoints(Path runDir) {
    Path dir = runDir.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).toList();
    } catch (IOException e) {
      return List.of(); // a directory renamed or rotated while listing
    }
  }

  /** Exit code, no crash, the stop message, every checkpoint complete and the newest at the last logged step. */
  static void assertStoppedCleanly(ChildJob job, int code, Path runDir) throws Exception {
    assertEquals(code, job.exit(), job.output());
    job.assertNoCrashReport();
    assertTrue(job.output().contains("Stopped: stopped by SIG"), job.output());
    long newest = -1;
    for (Path ck : checkpoints(runDir)) {
      Optional<TrainerState> st = CheckpointManager.readState(ck);
      assertTrue(st.isPresent(), "incomplete checkpoint " + ck + " after a clean stop");
      assertTrue(Files.size(ck.resolve("model.safetensors")) > 0 && Files.size(ck.resolve("optimizer.safetensors")) > 0, ck.toString());
      newest = Math.max(newest, st.get().globalStep());
    }
    long logged = lastStep(runDir);
    if (logged > 0) {
      assertEquals(logged, newest, "the newest checkpoint is not at the last step logged before the stop:\n" + job.output());
    }
  }

  static boolean checkpointBeingWritten(Path runDir, long after) {
    for (Path ck : checkpoints(runDir)) {
      long step = Long.parseLong(ck.getFileName().toString().substring("checkpoint-".length()));
      if (step > after) {
        return true; // being written (no trainer_state.json yet), or, missed by the polling, just written
      }
    }
    return false;
  }

  @Test
  void stoppedAtFourPointsAndResumedEachTimeEndsAtTheUninterruptedLoss() throws Exception {
    Path ref = tmp.resolve("ref"); // a child JVM too: this JVM's engine may run with another thread count
    ChildJob whole = start("ref", ref, true);
    assertEquals(0, whole.exit(), whole.output());
    whole.assertNoCrashReport();
    double expected = losses(ref).get((long) MAX_STEPS);

    Path dir = tmp.resolve("chain");
    ChildJob loading = start("loading", dir, true);
    loading.awaitLog("Run directory:");
    loading.signal("TERM");
    assertStoppedCleanly(loading, 143, dir);

    long from = lastStep(dir);
    ChildJob step = start("step", dir, false); // no Vector API module: runs in a re-launched child
    step.awaitLog("re-launching in a child JVM");
    step.await("a training step", () -> lastStep(dir) > from);
    step.signal("INT");
    assertStoppedCleanly(step, 130, dir);

    long before = lastStep(dir);
    ChildJob saving = start("saving", dir, true, "tracker=[console,jsonl,wandb]");
    saving.await("a new checkpoint", () -> checkpointBeingWritten(dir, before));
    saving.signal("TERM");
    assertStoppedCleanly(saving, 143, dir);
    Path wandbRun;
    try (Stream<Path> runs = Files.list(dir.resolve("wandb"))) {
      wandbRun = runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    Path wandbFile;
    try (Stream<Path> files = Files.list(wandbRun)) {
      wandbFile = files.filter(f -> f.toString().endsWith(".wandb")).findFirst().orElseThrow();
    }
    assertEquals(143, WandbFileReader.decode(wandbFile).exitCode(), "the W&B exit record of the stopped run");

    long evalFrom = lastStep(dir);
    ChildJob eval = start("eval", dir, true);
    eval.await("an evaluation step", () -> losses(dir).keySet().stream().anyMatch(s -> s > evalFrom && s % 6 == 0));
    eval.signal("TERM");
    assertStoppedCleanly(eval, 143, dir);
    long evalStop = lastStep(dir);
    assertTrue(lastStep(dir) < MAX_STEPS, "the chain reached the end before its last run: " + losses(dir));

    ChildJob end = start("end", dir, true);
    assertEquals(0, end.exit(), end.output());
    end.assertNoCrashReport();
    assertEquals(expected, losses(dir).get((long) MAX_STEPS), "final loss after four stops and resumes");
    System.out.printf("[TrainerStopSignalTest] stops after steps %d (loading), %d (a step), %d (checkpoint), %d"
        + " (evaluation); final loss %.6f%n", from, before, evalFrom, evalStop, expected);
  }
}

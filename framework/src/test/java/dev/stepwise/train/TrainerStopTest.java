package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.run.StopRequested;
import dev.stepwise.run.StopSignals;
import dev.stepwise.train.TinyModels.Batch;
import dev.stepwise.train.TinyModels.RecordingTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's stop path in this JVM: a stop requested in the middle of optimizer step 7 (from
 * the backward hook, as a signal handler would set it) lets step 7 finish, writes {@code
 * checkpoint-7} although {@code save_steps} is 5, and throws {@link StopRequested}; a new trainer
 * with {@code resume = auto} ends with the uninterrupted run's parameters and losses, bit for
 * bit. With {@code run.checkpoint_on_stop = false} no checkpoint is written at the stop.
 */
class TrainerStopTest {
  static final String CFG = "max_steps = 12, per_device_train_batch_size = 4, logging_steps = 1, save_steps = 5,"
      + " progress_bar = false, seed = 5";

  @TempDir Path out;

  @AfterEach
  void forget() {
    StopSignals.reset();
    StopSignals.install(List.of(), true, "test"); // checkpoint_on_stop back to its default
  }

  @Test
  void aStopMidStepCheckpointsThatStepAndResumeMatchesTheUninterruptedRun() throws Exception {
    TrainData<Batch> data = TinyModels.nextTokenData(24, TrainerTest.VOCAB);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> a = TinyModels.mlpParams(m, TrainerTest.VOCAB, 8, 16, 1);
      RecordingTracker straight = new RecordingTracker();
      TrainerTest.trainer(CFG, a, TinyModels.mlpObjective(a, TrainerTest.VOCAB), data, out.resolve("a"))
          .withTrackers(List.of(straight)).train();

      Path dirB = out.resolve("b");
      Map<String, NDArray> b = TinyModels.mlpParams(m, TrainerTest.VOCAB, 8, 16, 1);
      Trainer<Batch> t = TrainerTest.trainer(CFG, b, TinyModels.mlpObjective(b, TrainerTest.VOCAB), data, dirB);
      AtomicInteger backwards = new AtomicInteger();
      t.beforeBackward = () -> {
        if (backwards.incrementAndGet() == 7) {
          StopSignals.request("TERM");
        }
      };
      StopRequested e = assertThrows(StopRequested.class, t::train);
      assertEquals(143, e.exitCode());
      assertTrue(e.getMessage().contains("at step 7 of 12") && e.getMessage().contains("checkpoint-7"), e.getMessage());
      Path ck = dirB.resolve("checkpoints/checkpoint-7");
      assertEquals(7, CheckpointManager.readState(ck).orElseThrow().globalStep());
      StopSignals.reset();

      Map<String, NDArray> c = TinyModels.mlpParams(m, TrainerTest.VOCAB, 8, 16, 42);
      RecordingTracker resumed = new RecordingTracker();
      TrainResult r = TrainerTest.trainer(CFG, c, TinyModels.mlpObjective(c, TrainerTest.VOCAB), data, dirB)
          .withTrackers(List.of(resumed)).train();
      assertEquals(12, r.globalStep());
      assertEquals(List.of(8L, 9L, 10L, 11L, 12L), List.copyOf(resumed.series("loss").keySet()));
      for (long s = 8; s <= 12; s++) {
        assertEquals(straight.series("loss").get(s), resumed.series("loss").get(s), 0.0, "loss at step " + s);
      }
      for (String k : a.keySet()) {
        assertArrayEquals(a.get(k).toFloatArray(), c.get(k).toFloatArray(), k);
      }
    }
  }

  @Test
  void withoutCheckpointOnStopTheNewestCheckpointStaysTheLastScheduledOne() throws Exception {
    StopSignals.install(List.of(), false, "test");
    TrainData<Batch> data = TinyModels.nextTokenData(24, TrainerTest.VOCAB);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = TinyModels.mlpParams(m, TrainerTest.VOCAB, 8, 16, 1);
      Trainer<Batch> t = TrainerTest.trainer(CFG, p, TinyModels.mlpObjective(p, TrainerTest.VOCAB), data, out);
      AtomicInteger backwards = new AtomicInteger();
      t.beforeBackward = () -> {
        if (backwards.incrementAndGet() == 7) {
          StopSignals.request("INT");
        }
      };
      assertEquals(130, assertThrows(StopRequested.class, t::train).exitCode());
      assertTrue(Files.isDirectory(out.resolve("checkpoints/checkpoint-5")));
      assertTrue(!Files.exists(out.resolve("checkpoints/checkpoint-7")), "checkpoint_on_stop = false wrote one");
    }
  }
}

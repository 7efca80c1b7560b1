package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.run.Tracker;
import dev.stepwise.train.TinyModels.Batch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryTest {
  @TempDir Path out;

  /** Resident set size of this process in KiB, from /proc/self/status (Linux). */
  static long vmRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no VmRSS line");
  }

  @Test
  void residentMemoryAndManagedArraysStayFlatOverManySteps() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")),
        "needs Linux /proc to read the resident set size");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = TinyModels.mlpParams(m, 16, 32, 64, 1);
      int paramManagerArrays = m.getManagedArrays().size();
      Map<Long, Long> rss = new TreeMap<>();
      Map<Long, Integer> arrays = new TreeMap<>();
      Tracker probe = new Tracker() {
        @Override
        public void log(long step, Map<String, ?> metrics) {
          System.gc();
          rss.put(step, vmRssKib());
          arrays.put(step, m.getManagedArrays().size());
        }

        @Override
        public void close() {}
      };
      TrainData<Batch> data = TinyModels.nextTokenData(64, 16);
      new Trainer<>(TinyModels.trainerConfig("max_steps = 800, per_device_train_batch_size = 16,"
              + " gradient_accumulation_steps = 2, logging_steps = 100, save_steps = 0,"
              + " progress_bar = false, resume = never"), TrainerTest.OPTIM, p,
          TinyModels.mlpObjective(p, 16), data, new ParameterCheckpoint(p), out)
          .withTrackers(List.of(probe))
          .train();
      // The objective uses parameters as first operands (results land in their manager) and
      // the trainer reads gradients every step: nothing may accumulate there.
      arrays.values().forEach(n -> assertEquals(paramManagerArrays, n, "arrays in the parameters' manager: " + arrays));
      long warm = rss.get(200L), end = rss.get(800L);
      System.out.printf("VmRSS after 200 steps %d KiB, after 800 steps %d KiB (growth %d KiB)%n",
          warm, end, end - warm);
      assertTrue(end - warm < 24 * 1024, "resident memory grew by " + (end - warm) + " KiB: " + rss);
    }
  }
}

package dev.stepwise.generate;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Inter-op parallel decoding ({@link DecodeWorkers}): the same completions, in the same slots,
 * as decoding on the calling thread; libtorch's thread settings restored afterwards.
 */
class ParallelDecodeTest {
  @BeforeAll
  static void setUp() {
    SamplerTest.setUp();
  }

  @AfterAll
  static void tearDown() {
    SamplerTest.tearDown();
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(DecodeWorkers.PROPERTY);
  }

  static List<String> prompts(int count) {
    List<String> out = new ArrayList<>();
    String letters = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < count; i++) {
      out.add("row " + letters.substring(i % 26, i % 26 + 1 + i % 5) + " " + letters.charAt((7 * i) % 26));
    }
    return out;
  }

  static List<List<Completion>> generate(String workers, List<String> prompts, SamplingParams p) {
    System.setProperty(DecodeWorkers.PROPERTY, workers);
    return new Sampler(SamplerTest.model, SamplerTest.TOK).generate(prompts, p);
  }

  @Test
  void workerCountFollowsThePropertyAndTheRowCount() {
    System.setProperty(DecodeWorkers.PROPERTY, "2");
    assertEquals(1, DecodeWorkers.workersFor(15));
    assertEquals(2, DecodeWorkers.workersFor(16));
    assertEquals(2, DecodeWorkers.workersFor(500));
    System.setProperty(DecodeWorkers.PROPERTY, "1");
    assertEquals(1, DecodeWorkers.workersFor(500));
    System.setProperty(DecodeWorkers.PROPERTY, "auto");
    assertEquals(Math.min(JniUtils.getNumThreads(), 500 / DecodeWorkers.MIN_ROWS_PER_WORKER), DecodeWorkers.workersFor(500));
    System.setProperty(DecodeWorkers.PROPERTY, "two");
    UserError e = assertThrows(UserError.class, () -> DecodeWorkers.workersFor(64));
    assertTrue(e.getMessage().contains("stepwise.sampler.workers"), e.getMessage());
  }

  /** 40 greedy rows: 2 workers (two chunks of 20) give exactly the tokens of one chunk. */
  @Test
  void greedyTokensEqualSequentialDecoding() {
    List<String> prompts = prompts(40);
    SamplingParams greedy = SamplerTest.params().withTemperature(0);
    List<List<Completion>> one = generate("1", prompts, greedy);
    List<List<Completion>> two = generate("2", prompts, greedy);
    for (int i = 0; i < prompts.size(); i++) {
      assertArrayEquals(one.get(i).get(0).tokenIds(), two.get(i).get(0).tokenIds(), "prompt " + i);
    }
    for (int i : new int[] {0, 21, 39}) {
      assertArrayEquals(
          SamplerTest.greedyByRecomputation(SamplerTest.TOK.encode(prompts.get(i)), 12),
          two.get(i).get(0).tokenIds(), "prompt " + i);
    }
  }

  /** 12 prompts x n=3 sampled rows, 3 workers: same draws in the same (prompt, sample) slots. */
  @Test
  void sampledTokensEqualSequentialDecoding() {
    List<String> prompts = prompts(12);
    SamplingParams p = SamplerTest.params().withN(4).withTemperature(1.0);
    List<List<Completion>> one = generate("1", prompts, p);
    List<List<Completion>> three = generate("3", prompts, p);
    int distinct = 0;
    for (int i = 0; i < prompts.size(); i++) {
      for (int j = 0; j < 4; j++) {
        assertArrayEquals(one.get(i).get(j).tokenIds(), three.get(i).get(j).tokenIds(), "prompt " + i + " sample " + j);
        assertEquals(one.get(i).get(j).cumulativeLogprob(), three.get(i).get(j).cumulativeLogprob(), 1e-4);
      }
      distinct += java.util.Arrays.equals(three.get(i).get(0).tokenIds(), three.get(i).get(1).tokenIds()) ? 0 : 1;
    }
    assertTrue(distinct >= 10, "samples of a prompt must be different draws; only " + distinct + " of 12 differ");
  }

  /** The caller keeps its intra-op threads; a thread that starts using libtorch later gets them too. */
  @Test
  void threadSettingsAreRestored() throws InterruptedException {
    int before = JniUtils.getNumThreads();
    generate("2", prompts(32), SamplerTest.params());
    assertEquals(before, JniUtils.getNumThreads());
    AtomicInteger fresh = new AtomicInteger(-1);
    Thread t = new Thread(() -> fresh.set(JniUtils.getNumThreads()));
    t.start();
    t.join();
    assertEquals(before, fresh.get());
  }

  /** Workers share the caller's intra-op budget: max(1, threads / workers) each, all tasks run. */
  @Test
  void workersSplitTheCallersThreads() {
    int saved = JniUtils.getNumThreads();
    int caller = 4; // a budget that 1, 2 and 3 workers divide differently (4, 2, 1 threads each)
    JniUtils.setNumThreads(caller);
    try {
      splitThreads(caller);
    } finally {
      JniUtils.setNumThreads(saved);
    }
  }

  private static void splitThreads(int caller) {
    for (int workers : new int[] {1, 2, 3}) {
      List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Runnable> tasks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        tasks.add(() -> seen.add(JniUtils.getNumThreads()));
      }
      DecodeWorkers.runAll(tasks, workers);
      assertEquals(5, seen.size());
      for (int n : seen) {
        assertEquals(Math.max(1, caller / workers), n, workers + " workers");
      }
      assertEquals(caller, JniUtils.getNumThreads());
    }
  }

  @Test
  void aFailingTaskFailsTheCall() {
    List<Runnable> tasks = List.of(() -> {}, () -> { throw new IllegalStateException("boom"); });
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DecodeWorkers.runAll(tasks, 2));
    assertEquals("boom", e.getMessage());
  }

  @Test
  void statsCountEveryRowAndAddUpToTheWallTime() {
    long t0 = System.nanoTime();
    Sampler s = new Sampler(SamplerTest.model, SamplerTest.TOK);
    System.setProperty(DecodeWorkers.PROPERTY, "2");
    s.generate(prompts(32), SamplerTest.params());
    double wall = (System.nanoTime() - t0) / 1e9;
    SamplerStats st = s.lastStats();
    assertEquals(32, st.completions());
    assertEquals(32 * 12, st.generatedTokens());
    assertTrue(st.prefillSeconds() > 0 && st.decodeSeconds() > 0, st.toString());
    assertTrue(st.prefillSeconds() + st.decodeSeconds() <= wall, st + " vs wall " + wall);
  }
}

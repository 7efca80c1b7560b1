package dev.stepwise.task;

import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The built-in task {@code arith}: seeded multi-step arithmetic word problems in GSM8K's format
 * (see {@link ArithGenerator} for an example), so that the whole pipeline runs without data
 * files and a tiny model can learn it.
 *
 * <p><b>Splits.</b> The test set is the first {@code num_test} distinct questions of the stream
 * seeded from {@code (seed, "test")}; the train set is the first {@code num_train} distinct
 * questions of the stream seeded from {@code (seed, "train")} that are not test questions. So the
 * test set depends only on the seed, {@code num_test} and the difficulty knobs (not on {@code
 * num_train}), the splits never share a question, and both are identical from run to run
 * ({@link java.util.Random} is fully specified by the Java platform).
 *
 * <p>Ids: {@code arith-<split>-<index>}; labels: the answer as a decimal string.
 */
public final class ArithTask extends MathWordTask {
  /** The registry name. */
  public static final String NAME = "arith";

  private static final long TRAIN_SALT = 0x5DEECE66DL;
  private static final long TEST_SALT = 0x9E3779B97F4A7C15L;
  private static final long VALIDATION_SALT = 0xC2B2AE3D27D4EB4FL;

  private final ArithConfig cfg;
  private List<Problem> test;
  private List<Problem> train;
  private List<Problem> validation;

  /** @param cfg the generation knobs */
  public ArithTask(ArithConfig cfg) {
    this.cfg = cfg;
  }

  /** @return the knobs this task was built with */
  public ArithConfig config() {
    return cfg;
  }

  @Override
  public boolean hasSplit(String split) {
    return "train".equals(split) || "validation".equals(split) || "test".equals(split);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Generates (once, then cached) and returns a split.
   *
   * <p>{@code validation} has as many problems as {@code test}, drawn from its own seed and
   * disjoint from both {@code train} and {@code test} (generated after them, so the train and test
   * sets are the same with or without it).
   *
   * @throws UserError for a split other than {@code train}, {@code validation} or {@code test}, or when the knobs
   *     admit too few distinct questions for the requested sizes
   */
  @Override
  public synchronized List<Problem> problems(String split, int limit) {
    List<Problem> all;
    if ("test".equals(split)) {
      all = testSet();
    } else if ("train".equals(split)) {
      if (train == null) {
        Set<String> exclude = new HashSet<>();
        testSet().forEach(p -> exclude.add(p.question()));
        train = generate("train", TRAIN_SALT, cfg.numTrain(), exclude);
      }
      all = train;
    } else if ("validation".equals(split)) {
      if (validation == null) {
        Set<String> exclude = new HashSet<>();
        testSet().forEach(p -> exclude.add(p.question()));
        problems("train", 0).forEach(p -> exclude.add(p.question()));
        validation = generate("validation", VALIDATION_SALT, cfg.numTest(), exclude);
      }
      all = validation;
    } else {
      throw new UserError("arith task: unknown split '" + split + "' (available: train, validation, test)");
    }
    return all.subList(0, effectiveLimit(limit, 0, all.size()));
  }

  private List<Problem> testSet() {
    if (test == null) {
      test = generate("test", TEST_SALT, cfg.numTest(), Set.of());
    }
    return test;
  }

  private List<Problem> generate(String split, long salt, int n, Set<String> exclude) {
    Random rng = new Random(cfg.seed() * 0x2545F4914F6CDD1DL + salt);
    ArithGenerator gen = new ArithGenerator(cfg);
    Set<String> seen = new HashSet<>(exclude);
    List<Problem> out = new ArrayList<>(n);
    long attempts = 0;
    long maxAttempts = 50L * n + 10_000;
    while (out.size() < n) {
      if (++attempts > maxAttempts) {
        throw new UserError(
            "arith task: found only " + out.size() + " distinct " + split + " problems of the "
                + n + " asked after " + maxAttempts + " draws; raise max_number or max_steps, "
                + "or lower num_" + split);
      }
      ArithGenerator.Generated g = gen.next(rng);
      if (seen.add(g.question())) {
        String id = NAME + "-" + split + "-" + out.size();
        out.add(new Problem(id, g.question(), g.solution(), String.valueOf(g.answer())));
      }
    }
    return Collections.unmodifiableList(out);
  }
}

package dev.stepwise.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task {@code gsm8k}: grade-school math word problems (Cobbe et al. 2021, "Training Verifiers
 * to Solve Math Word Problems"), read from {@code <data_dir>/gsm8k/{train,test}.jsonl}, each line
 * {@code {"question": ..., "answer": worked solution ending "#### N"}}.
 *
 * <p>Problem {@code i} (0-based line order, blank lines skipped) of a split has id {@code
 * gsm8k-<split>-<i>}, the file's question, the file's answer as solution (without its {@code
 * <<...>>} annotations when {@code strip_calculator} is set) and the canonical number after
 * {@code ####} as label ({@code "1,000"} becomes {@code "1000"}).
 */
public final class Gsm8kTask extends MathWordTask {
  /** The registry name. */
  public static final String NAME = "gsm8k";
  /** The environment variable naming the shared data directory. */
  public static final String DATA_ENV = "STEPWISE_DATA";
  /** The data directory used when neither the config nor the environment names one. */
  public static final String DEFAULT_DATA_DIR = "../shared/data";

  private final Gsm8kConfig cfg;
  private final Map<String, List<Problem>> cache = new HashMap<>();

  /** @param cfg the data location and limits */
  public Gsm8kTask(Gsm8kConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** @return the data directory: {@code data_dir}, else {@code $STEPWISE_DATA}, else the default */
  public Path dataDir() {
    return Path.of(dataDirSource()[0]);
  }

  private String[] dataDirSource() {
    if (cfg.dataDir() != null && !cfg.dataDir().isBlank()) {
      return new String[] {cfg.dataDir(), "task.data_dir"};
    }
    String env = System.getenv(DATA_ENV);
    if (env != null && !env.isBlank()) {
      return new String[] {env, "the " + DATA_ENV + " environment variable"};
    }
    return new String[] {DEFAULT_DATA_DIR, "the default"};
  }

  /**
   * Reads (once, then cached) a split.
   *
   * @param limit at most this many problems (0 or negative: all), further capped by {@code
   *     max_train}/{@code max_test}
   * @throws UserError for an unknown split, a missing file (naming the path and {@code
   *     STEPWISE_DATA}) or a record without a question or a {@code #### N} answer (naming {@code
   *     file:line})
   */
  @Override
  public synchronized List<Problem> problems(String split, int limit) {
    int max;
    if ("train".equals(split)) {
      max = cfg.maxTrain();
    } else if ("test".equals(split)) {
      max = cfg.maxTest();
    } else {
      throw new UserError("gsm8k task: unknown split '" + split + "' (available: train, test)");
    }
    List<Problem> all = cache.computeIfAbsent(split, this::read);
    return all.subList(0, effectiveLimit(limit, max, all.size()));
  }

  private List<Problem> read(String split) {
    String[] source = dataDirSource();
    Path file = Path.of(source[0]).resolve("gsm8k").resolve(split + ".jsonl");
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          "gsm8k task: " + file.toAbsolutePath().normalize() + " not found (data directory '"
              + source[0] + "' from " + source[1] + "); set task.data_dir or the " + DATA_ENV
              + " environment variable to the directory holding gsm8k/" + split + ".jsonl");
    }
    List<Problem> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        JsonNode n = r.next();
        String where = file + ":" + r.lineNumber();
        String question = text(n, "question", where);
        String answer = text(n, "answer", where);
        int marker = answer.lastIndexOf(Steps.ANSWER_MARKER);
        Optional<String> label =
            marker < 0
                ? Optional.empty()
                : Answers.canonical(answer.substring(marker + Steps.ANSWER_MARKER.length()));
        if (label.isEmpty()) {
          throw new UserError(where + ": 'answer' does not end with a '#### <number>' line");
        }
        String solution = cfg.stripCalculator() ? CalculatorAnnotations.strip(answer) : answer;
        String id = NAME + "-" + split + "-" + out.size();
        out.add(new Problem(id, question, solution, label.get()));
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new UserError(where + ": record has no text field '" + field + "'");
    }
    return v.asText();
  }
}

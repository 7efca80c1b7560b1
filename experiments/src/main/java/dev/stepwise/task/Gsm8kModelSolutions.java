package dev.stepwise.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reader of GSM8K's {@code example_model_solutions.jsonl} (openai/grade-school-math): per test
 * problem, the {@code question}, the {@code ground_truth} worked solution (ending {@code "A: N"}
 * instead of {@code "#### N"}) and four real GPT-3 solutions ({@code 6b_finetuning}, {@code
 * 6b_verification}, {@code 175b_finetuning}, {@code 175b_verification}), each {@code
 * {"is_correct": bool, "solution": "... A: N"}}.
 *
 * <p>Line {@code i} (0-based, blank lines skipped) becomes problem {@code gsm8k-test-<i>}, the id
 * {@link Gsm8kTask} gives the same question in {@code test.jsonl} (the file follows the test
 * split's order). The label is the canonical number of the ground truth's {@code A:} line
 * ({@link Answers#extract}); the solutions keep their text as is (steps: one per line, the {@code
 * A: N} line being the answer step), and {@code is_correct} is the file's own judgement.
 */
public final class Gsm8kModelSolutions {
  /** The four solution fields, in file order. */
  public static final List<String> MODELS =
      List.of("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification");

  /** The file under the data directory. */
  public static final String FILE = "gsm8k/example_model_solutions.jsonl";

  /**
   * One problem and its model solutions.
   *
   * @param problem id {@code gsm8k-test-<i>}, question, ground-truth solution, canonical label
   * @param models the solution field names present ({@link #MODELS} order)
   * @param solutions the solution texts, aligned with {@code models}
   * @param isCorrect the file's correctness flags, aligned with {@code models}
   */
  public record Entry(Problem problem, List<String> models, List<String> solutions, List<Boolean> isCorrect) {}

  private Gsm8kModelSolutions() {}

  /** @return the file under {@code data_dir} (or {@code $STEPWISE_DATA}, or the default) */
  public static Path defaultFile(String dataDir) {
    return DataDir.resolve(dataDir).path().resolve(FILE);
  }

  /**
   * @param file the JSONL file
   * @return one entry per line
   * @throws UserError when the file is missing, or a line lacks the question, a ground truth
   *     with an {@code A: N} answer, or a well-formed solution object ({@code file:line})
   */
  public static List<Entry> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError(file.toAbsolutePath().normalize() + ": GSM8K model solutions not found; set data_dir or "
          + Gsm8kTask.DATA_ENV + " to the directory holding " + FILE);
    }
    List<Entry> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        JsonNode n = r.next();
        String where = file + ":" + r.lineNumber();
        String question = textOf(n, "question", where);
        String truth = textOf(n, "ground_truth", where);
        Optional<String> label = Answers.extract(truth);
        if (label.isEmpty()) {
          throw new UserError(where + ": 'ground_truth' has no final 'A: <number>' answer");
        }
        List<String> models = new ArrayList<>();
        List<String> solutions = new ArrayList<>();
        List<Boolean> flags = new ArrayList<>();
        for (String m : MODELS) {
          JsonNode s = n.get(m);
          if (s == null) {
            continue;
          }
          JsonNode sol = s.get("solution");
          JsonNode ok = s.get("is_correct");
          if (sol == null || !sol.isTextual() || ok == null || !ok.isBoolean()) {
            throw new UserError(where + ": '" + m + "' must be {\"is_correct\": bool, \"solution\": str}");
          }
          models.add(m);
          solutions.add(sol.asText());
          flags.add(ok.asBoolean());
        }
        Problem p = new Problem(Gsm8kTask.NAME + "-test-" + out.size(), question, truth, label.get());
        out.add(new Entry(p, List.copyOf(models), List.copyOf(solutions), List.copyOf(flags)));
      }
    }
    return out;
  }

  private static String textOf(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new UserError(where + ": record has no text field '" + field + "'");
    }
    return v.asText();
  }
}

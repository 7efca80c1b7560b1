package dev.stepwise.preference.pairs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Outcome pairs from real, already-labelled model solutions: GSM8K's {@code
 * example_model_solutions.jsonl} (Cobbe et al. 2021), where each question carries several
 * models' solutions, each {@code {"is_correct": bool, "solution": str}}. Every field of a record
 * whose value is such an object is one response; its label is the file's {@code is_correct}, not
 * our answer check. Question {@code i} (0-based line order) gets the id {@code
 * <file name without .jsonl>-<i>}, the prompt {@code task.prompt(question)} and the label
 * extracted from {@code ground_truth}. The pairs are then {@link OutcomePairs}'s: distinct
 * correct × distinct incorrect, capped by a seeded draw.
 */
public final class LabelledSolutionsPairs implements PairBuilder {
  /** Registry name. */
  public static final String NAME = "labelled_solutions";

  @Override
  public Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) {
    LabelledSolutionsConfig lc = cfg.bind("pairs", LabelledSolutionsConfig.class);
    if (lc.solutionsFile() == null) {
      throw new UserError("pairs.solutions_file is not set (" + cfg.where("pairs") + ")");
    }
    if (lc.maxPairsPerProblem() < 0) {
      throw new UserError("pairs.max_pairs_per_problem = " + lc.maxPairsPerProblem() + " must be >= 0 (0 = all)");
    }
    Path file = Path.of(lc.solutionsFile());
    return OutcomePairs.pairs(read(file, task, lc.limit()), lc.maxPairsPerProblem(), lc.seed(), out);
  }

  /**
   * @return one entry per question, its solutions labelled by the file's {@code is_correct}
   * @throws UserError naming the file and line of a record without a question or ground truth
   */
  static List<Judged> read(Path file, Task task, int limit) {
    String stem = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
    List<Judged> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext() && (limit <= 0 || out.size() < limit)) {
        JsonNode n = r.next();
        if (!n.hasNonNull("question") || !n.hasNonNull("ground_truth")) {
          throw new UserError(file + ":" + r.lineNumber() + ": record needs 'question' and 'ground_truth'");
        }
        String label = task.extractAnswer(n.get("ground_truth").asText()).orElse("");
        String id = stem + "-" + out.size();
        List<String> responses = new ArrayList<>();
        List<Boolean> correct = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          JsonNode v = it.next().getValue();
          if (v.isObject() && v.has("is_correct") && v.hasNonNull("solution")) {
            responses.add(v.get("solution").asText());
            correct.add(v.get("is_correct").asBoolean());
          }
        }
        String prompt = task.prompt(new Problem(id, n.get("question").asText(), "", label));
        out.add(new Judged(id, prompt, responses, correct));
      }
    }
    return out;
  }
}

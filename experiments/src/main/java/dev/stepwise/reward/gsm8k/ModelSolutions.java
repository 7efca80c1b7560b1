package dev.stepwise.reward.gsm8k;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Answers;
import dev.stepwise.task.MathWordTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads GSM8K's {@code example_model_solutions.jsonl} (Cobbe et al. 2021's released GPT-3
 * samples: the 1,319 test questions, each with {@code ground_truth} and four solutions {@code
 * 6b_finetuning}, {@code 6b_verification}, {@code 175b_finetuning}, {@code 175b_verification},
 * each {@code {"is_correct", "solution"}}, solutions ending {@code "A: N"}) as sampled
 * solutions: line i (0-based, blank lines skipped) becomes {@code {"id": "gsm8k-test-<i>",
 * "prompt": "Question: ...\nAnswer:\n", "label": N of the ground truth, "response": the four
 * solutions in the order above, "pred": their extracted answers}}.
 */
public final class ModelSolutions {
  /** The four solution fields, in the order of {@code response}. */
  public static final List<String> MODELS = List.of("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification");

  /**
   * One read problem.
   *
   * @param record the problem as a sampled-solutions record
   * @param isCorrect the file's own correctness flag of each response
   */
  public record Entry(SampleRecord record, List<Boolean> isCorrect) {}

  private ModelSolutions() {}

  /**
   * @throws UserError naming the file (and {@code STEPWISE_DATA}) when it is missing, or {@code
   *     file:line} for a record without a question, a readable ground-truth answer or one of the
   *     four solutions
   */
  public static List<Entry> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError(file.toAbsolutePath().normalize() + ": not found; set data_dir or STEPWISE_DATA to the directory holding gsm8k/example_model_solutions.jsonl");
    }
    List<Entry> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        JsonNode n = r.next();
        String where = file + ":" + r.lineNumber();
        String q = n.path("question").asText(null);
        String label = Answers.extract(n.path("ground_truth").asText("")).orElse(null);
        if (q == null || label == null) {
          throw new UserError(where + ": needs 'question' and a 'ground_truth' ending in 'A: <number>'");
        }
        List<String> resp = new ArrayList<>();
        List<String> pred = new ArrayList<>();
        List<Boolean> ok = new ArrayList<>();
        for (String m : MODELS) {
          JsonNode s = n.get(m);
          if (s == null || !s.path("solution").isTextual()) {
            throw new UserError(where + ": no solution '" + m + "'");
          }
          String text = s.get("solution").asText();
          resp.add(text);
          pred.add(Answers.extract(text).orElse(""));
          ok.add(s.path("is_correct").asBoolean(false));
        }
        String id = "gsm8k-test-" + out.size();
        out.add(new Entry(new SampleRecord(id, MathWordTask.promptFor(q), label, resp, pred), ok));
      }
    }
    return out;
  }
}

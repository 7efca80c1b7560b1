package dev.stepwise.sft;

import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rejection-sampling fine-tuning data (Yuan et al. 2023, "Scaling relationship on learning
 * mathematical reasoning"): the correct responses of a sampling run, deduplicated per problem.
 * A response is correct when the task's answer check accepts it against the record's {@code
 * label}; duplicates are responses of the same problem equal after trimming surrounding white
 * space (the first occurrence is kept). Each example is the record's {@code prompt} with the
 * response (trimmed of trailing white space) followed by EOS as the completion.
 */
public final class RftData {
  private RftData() {}

  /**
   * @param file the sampler's JSONL ({@code {"id","prompt","label","response":[..],"pred":[..]}})
   * @return the deduplicated correct (prompt, response) pairs, problem by problem in file order
   * @throws UserError when the file is missing or malformed, or holds no correct response
   */
  public static List<String[]> correctResponses(Path file, Task task) {
    List<SampleRecord> records = JsonlReader.readAll(file, SampleRecord.class);
    List<String[]> out = correctResponses(records, task);
    if (out.isEmpty()) {
      throw new UserError(file + ": no correct response in " + records.size() + " sampled problems; nothing to fine-tune on");
    }
    return out;
  }

  /** @return as {@link #correctResponses(Path, Task)} on records in memory (may be empty) */
  public static List<String[]> correctResponses(List<SampleRecord> records, Task task) {
    List<String[]> out = new ArrayList<>();
    for (SampleRecord r : records) {
      if (r.id() == null || r.prompt() == null || r.label() == null || r.response() == null) {
        throw new UserError("sample record " + r.id() + " lacks one of id, prompt, label, response");
      }
      Problem p = new Problem(r.id(), r.prompt(), "", r.label());
      Set<String> seen = new LinkedHashSet<>();
      for (String resp : r.response()) {
        if (task.isCorrect(resp, p) && seen.add(resp.strip())) {
          out.add(new String[] {r.prompt(), resp.stripTrailing()});
        }
      }
    }
    return out;
  }

  /**
   * @param examples (prompt, response) pairs
   * @param maxLen the model's context length
   * @return SFT data: prompt masked, response + EOS trained on
   */
  public static SftData tokenize(List<String[]> examples, Tokenizer tok, int maxLen) {
    List<SftExample> ex = new ArrayList<>(examples.size());
    for (String[] e : examples) {
      int[] target = tok.encode(e[1]);
      int[] completion = Arrays.copyOf(target, target.length + 1);
      completion[target.length] = tok.eosId();
      ex.add(new SftExample(tok.encodePrompt(e[0]), completion));
    }
    return new SftData(ex, maxLen, tok.padId());
  }
}

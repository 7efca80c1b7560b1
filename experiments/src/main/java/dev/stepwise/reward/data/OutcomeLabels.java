package dev.stepwise.reward.data;

import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reward training responses from sampled solutions ({@link SampleRecord}s), labelled by the
 * task's answer check.
 *
 * <ul>
 *   <li>{@link #orm}: one label, the response's correctness (0/1), at its last non-whitespace
 *       token (Cobbe et al. 2021's verifier, scored at the final token).
 *   <li>{@link #steps} with {@code calculator = false}: every step gets the outcome (Uesato et al.
 *       2022's outcome-supervised per-step labels; the PRM then learns to predict the final
 *       correctness from every prefix).
 *   <li>{@link #steps} with {@code calculator = true}: as above, except that a step whose
 *       {@link CalculatorCheck} fails, and every later step, get 0 (an arithmetic slip cannot
 *       lead to a trustworthy solution).
 * </ul>
 */
public final class OutcomeLabels {
  private OutcomeLabels() {}

  /** @return one response per sampled completion, labelled at its end by correctness */
  public static List<LabelledResponse> orm(List<SampleRecord> records, Task task) {
    List<LabelledResponse> out = new ArrayList<>();
    for (SampleRecord r : records) {
      Problem p = new Problem(r.id(), "", "", r.label());
      for (String resp : r.response()) {
        int end = StepBoundaries.trimmedEnd(resp);
        if (end > 0) {
          float y = task.isCorrect(resp, p) ? 1f : 0f;
          out.add(new LabelledResponse(r.id(), r.prompt(), resp, List.of(end), List.of(y)));
        }
      }
    }
    return out;
  }

  /** @return one response per sampled completion, labelled at every step end (see the class doc) */
  public static List<LabelledResponse> steps(List<SampleRecord> records, Task task, boolean calculator) {
    List<LabelledResponse> out = new ArrayList<>();
    for (SampleRecord r : records) {
      Problem p = new Problem(r.id(), "", "", r.label());
      for (String resp : r.response()) {
        List<String> steps = task.splitSteps(resp);
        List<Integer> ends = StepBoundaries.ends(resp, steps);
        if (ends.isEmpty()) {
          continue;
        }
        float y = task.isCorrect(resp, p) ? 1f : 0f;
        List<Float> targets = new ArrayList<>(Collections.nCopies(ends.size(), y));
        if (calculator) {
          for (int i = 0; i < ends.size(); i++) {
            if (!CalculatorCheck.passes(steps.get(i))) {
              for (int j = i; j < ends.size(); j++) {
                targets.set(j, 0f);
              }
              break;
            }
          }
        }
        out.add(new LabelledResponse(r.id(), r.prompt(), resp, ends, targets));
      }
    }
    return out;
  }
}

package dev.stepwise.reward.synth;

import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Monte Carlo labels of states (Jiao et al. 2024, Sec. 3.2; OmegaPRM's {@code MC(s)}): a state's
 * value is the number of its {@code k} rollouts that reach the correct answer, its {@code
 * mc_value} that number divided by {@code k}. A whole response counts as {@code k} rollouts that
 * all agree with its own outcome: {@code value = k * correct}, {@code mc_value = correct}.
 *
 * <p>As the reference ({@code PartialTrajAttemptsReader} in {@code data/general.py} of
 * SparkJiao/dpo-trajectory-reasoning, around lines 253–265): each rollout is judged on its own
 * text ({@link RolloutJudge}); a rollout without an answer counts as wrong; a state with any
 * empty rollout ({@code ""}, exactly: the reference's {@code res == ""}) gets no label at all
 * (the reference skips it, so the PRM never trains on it).
 */
public final class McLabels {
  private McLabels() {}

  /**
   * @param completions a state's rollouts
   * @return true when one of them is the empty string (the state is dropped, unlabelled)
   */
  public static boolean hasEmptyRollout(List<String> completions) {
    return completions.stream().anyMatch(String::isEmpty);
  }

  /**
   * @param s the state
   * @param completions its {@code k >= 1} continuations; each is judged on its own text by
   *     {@link RolloutJudge#reachesAnswer} against {@code s.label()}
   * @return the labelled record, type {@code inter}; empty when a continuation is the empty
   *     string ({@link #hasEmptyRollout}: the reference drops such a state)
   * @throws IllegalArgumentException when {@code completions} is empty
   */
  public static Optional<RolloutRecord> inter(StateRecord s, List<String> completions, Task task) {
    if (completions.isEmpty()) {
      throw new IllegalArgumentException("a state needs at least one rollout: " + s.key());
    }
    if (hasEmptyRollout(completions)) {
      return Optional.empty();
    }
    int value = 0;
    for (String c : completions) {
      if (RolloutJudge.reachesAnswer(task, s.id(), s.label(), c)) {
        value++;
      }
    }
    return Optional.of(new RolloutRecord(s.id(), s.prompt(), s.label(), s.respId(), s.stepId(), s.state(), StateRecord.INTER,
        List.copyOf(completions), value, value / (double) completions.size()));
  }

  /**
   * @return the number of {@code r}'s completions from which the task extracts no answer
   *     ({@link RolloutJudge#noAnswer}; counted as wrong); 0 for a {@code full} record
   */
  public static int noAnswerRollouts(RolloutRecord r, Task task) {
    int n = 0;
    for (String c : r.completions()) {
      if (RolloutJudge.noAnswer(task, c)) {
        n++;
      }
    }
    return n;
  }

  /**
   * @param k the number of rollouts per state of the run
   * @return the {@code full} record of response {@code respId}: its step id is the index of its
   *     last step (-1 when it has none), {@code value = k * correct}, {@code mc_value = correct}
   */
  public static RolloutRecord full(String id, String prompt, String label, int respId, String response, Task task, int k) {
    boolean correct = task.isCorrect(response, problem(id, label));
    int stepId = task.splitSteps(response).size() - 1;
    return new RolloutRecord(id, prompt, label, respId, stepId, response, StateRecord.FULL, List.of(),
        correct ? k : 0, correct ? 1.0 : 0.0);
  }

  /**
   * @param samples sample records ({@code sampler.jar job=sample} or {@code api-caller.jar
   *     job=sample})
   * @param k the number of rollouts per state of the run
   * @return the {@link #full} record of every response of every sample, in file order
   */
  public static List<RolloutRecord> fullRecords(List<SampleRecord> samples, Task task, int k) {
    List<RolloutRecord> full = new ArrayList<>();
    for (SampleRecord r : samples) {
      for (int i = 0; i < r.response().size(); i++) {
        full.add(full(r.id(), r.prompt(), r.label(), i, r.response().get(i), task, k));
      }
    }
    return full;
  }

  /** @return a problem carrying only what the answer checks read: the id and the label */
  static Problem problem(String id, String label) {
    return new Problem(id, "", "", label);
  }
}

package dev.stepwise.search;

import dev.stepwise.api.ApiClient;
import dev.stepwise.api.PromptScores;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Prompt scoring over the API as the value model (ReST-MCTS*'s {@code --value_method gpt}, an LLM
 * judge instead of a trained PRM): the partial solution is followed by the judge question {@code
 * search.judge_question} and the answer {@code " Yes"}, and the server scores that text ({@link
 * ApiClient#scoreTexts}: {@code echo}, {@code logprobs = 5}, {@code max_tokens = 0}). The value is
 * p(Yes) / (p(Yes) + p(No)) at the answer's position when the server lists {@code " No"} among
 * the top alternatives there, else p(Yes). All partial solutions of a call are scored with
 * concurrent requests (the client's concurrency bound).
 */
public final class ApiJudgeValuer implements StepValuer {
  private static final String YES = " Yes";
  private static final String NO = " No";
  private final ApiClient client;
  private final String model;
  private final Task task;
  private final String question;

  /**
   * @param model the model id to request, or null (the Stepwise server uses its model)
   * @param question the judge question appended after the steps, e.g. {@code "\nIs the last step
   *     correct? Answer:"}
   */
  public ApiJudgeValuer(ApiClient client, String model, Task task, String question) {
    this.client = client;
    this.model = model;
    this.task = task;
    this.question = question;
  }

  /** @return the scored text of a partial solution: prompt, steps, judge question, " Yes" */
  public String judgeText(Problem p, List<String> steps) {
    return task.prompt(p) + String.join("\n", steps) + question + YES;
  }

  /**
   * @throws IllegalStateException wrapping the API error of a request that failed after retries
   */
  @Override
  public double[] score(List<Problem> problems, List<List<String>> steps) {
    try {
      List<CompletableFuture<List<PromptScores>>> fs = new ArrayList<>();
      for (int i = 0; i < problems.size(); i++) {
        fs.add(client.scoreTexts(model, List.of(judgeText(problems.get(i), steps.get(i))), 5));
      }
      double[] out = new double[fs.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = yesProbability(fs.get(i).get().get(0));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scoring steps through the API", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an API scoring request failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * @param s the scores of a text ending in " Yes"
   * @return p(Yes) / (p(Yes) + p(No)) at the last position when " No" is listed there, else
   *     p(Yes); in [0, 1]
   */
  public static double yesProbability(PromptScores s) {
    int last = s.logprobs().length - 1;
    double yes = Math.exp(s.logprobs()[last]);
    Map<String, Double> top = s.topLogprobs().get(last);
    if (top != null && top.containsKey(NO)) {
      double no = Math.exp(top.get(NO));
      return yes / (yes + no);
    }
    return Double.isFinite(yes) ? yes : 0;
  }
}

package dev.stepwise.search;

import dev.stepwise.caller.ApiCompletions;
import dev.stepwise.generate.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Proposes steps through any OpenAI-compatible endpoint ({@link ApiCompletions}; ReST-MCTS*'s
 * {@code --propose_method gpt}): one request per context with {@code n} choices and the stop
 * string {@code "\n"}, all requests of a call in flight together (bounded by the client's
 * concurrency). The server's {@code usage.completion_tokens} is split evenly over the choices.
 * The API does not say whether a choice ended with the end-of-sequence token or at the stop
 * string, so a proposal never has {@link ProposedStep#ended}: the solution ends at an answer step
 * or the depth limit ({@link SearchTree}); a choice cut by {@code max_tokens} is still a step.
 */
public final class ApiProposer implements StepProposer {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private final ApiCompletions api;
  private final SamplingParams params;

  /** @param params as for {@link SamplerProposer} */
  public ApiProposer(ApiCompletions api, SamplingParams params) {
    this.api = api;
    this.params = params.withStop(List.of("\n"));
  }

  /**
   * @throws IllegalStateException wrapping the {@link dev.stepwise.api.ApiException} of a request
   *     that failed after the client's retries
   */
  @Override
  public List<List<ProposedStep>> propose(List<String> contexts, int n, long round) {
    SamplingParams p = params.withN(n);
    if (p.seed() != null) {
      p = p.withSeed(p.seed() + round * GOLDEN);
    }
    try {
      List<CompletableFuture<ApiCompletions.Result>> fs = new ArrayList<>(contexts.size());
      for (String c : contexts) {
        fs.add(api.complete(c, p));
      }
      List<List<ProposedStep>> out = new ArrayList<>(contexts.size());
      for (CompletableFuture<ApiCompletions.Result> f : fs) {
        ApiCompletions.Result r = f.get();
        int each = (int) (r.completionTokens() / Math.max(1, r.texts().size()));
        List<ProposedStep> steps = new ArrayList<>(r.texts().size());
        for (int i = 0; i < r.texts().size(); i++) {
          steps.add(new ProposedStep(r.texts().get(i).trim(), each, false));
        }
        out.add(steps);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while proposing steps through the API", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an API request for step proposals failed: " + e.getCause().getMessage(), e.getCause());
    }
  }
}

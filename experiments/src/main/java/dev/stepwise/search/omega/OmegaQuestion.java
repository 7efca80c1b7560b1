package dev.stepwise.search.omega;

import dev.stepwise.search.value.PrmRow;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The OmegaPRM annotation of one question (Luo et al. 2024, Algorithm 1), as a state machine so
 * that many questions probe together: {@link #pendingContext} is the text whose k completions the
 * question needs next, {@link #accept} takes them.
 *
 * <p>Run: the root state (the question) is estimated first; its k completions are the seed data
 * (N samples with correctness). A question whose root MC is 0 or 1 has no first error to locate
 * and ends there (too hard or too easy, as the paper filters). Otherwise, until {@code
 * search_limit} completions are spent or no candidate is left: select the (state, wrong rollout)
 * pair with the largest Q + U ({@link OmegaSelection}; candidates are the wrong rollouts of states
 * with MC &gt; 0), binary-search its first error ({@link FirstErrorSearch}; each probe is a new
 * state whose k completions give its MC, and whose wrong rollouts become candidates when its MC
 * &gt; 0), then count one visit N(s) of the selected state. The state one step past the last good
 * prefix is the first error; when that is the whole rollout it becomes a state with MC 0 without
 * further completions (its rollout already ended wrong).
 *
 * <p>A probe whose prefix is already a state of the tree (another rollout with the same first
 * steps) reuses that state's MC instead of new completions, so every state, and every row, is
 * unique.
 *
 * <p>Rows: one per non-root state, (question + prefix, next step, MC) ({@link #rows}).
 */
public final class OmegaQuestion {
  /** One completion from a state: its steps, token count and correctness. */
  public record Rollout(List<String> steps, int tokens, boolean correct) {}

  /** A state: the parent's steps plus some steps, its MC, visits and rollouts. */
  static final class State {
    final List<String> steps;
    final double mc;
    final List<Rollout> rollouts;
    int visits;

    State(List<String> steps, double mc, List<Rollout> rollouts) {
      this.steps = steps;
      this.mc = mc;
      this.rollouts = rollouts;
    }
  }

  private record Cand(State state, Rollout rollout) {}

  private final Problem problem;
  private final Task task;
  private final String prompt;
  private final OmegaConfig cfg;
  private final OmegaSelection selection;
  private final List<State> states = new ArrayList<>();
  private final List<Cand> pool = new ArrayList<>();
  private List<String> pendingSteps = List.of();
  private Cand current;
  private FirstErrorSearch search;
  private int completions;
  private int searches;
  private int probes;
  private int searchedSteps;
  private boolean done;

  /** A question whose first need is its root estimate. */
  public OmegaQuestion(Problem problem, Task task, OmegaConfig cfg) {
    this.problem = problem;
    this.task = task;
    this.prompt = task.prompt(problem);
    this.cfg = cfg;
    this.selection = new OmegaSelection(cfg.alpha(), cfg.beta(), cfg.lengthScale(), cfg.cPuct());
  }

  /** @return the problem */
  public Problem problem() {
    return problem;
  }

  /** @return true when the annotation ended */
  public boolean done() {
    return done;
  }

  /** @return the text to complete k times next: the prompt, then each step of the pending state with a newline */
  public String pendingContext() {
    StringBuilder sb = new StringBuilder(prompt);
    for (String s : pendingSteps) {
      sb.append(s).append('\n');
    }
    return sb.toString();
  }

  /**
   * Takes the k completions of {@link #pendingContext} and advances to the next need.
   *
   * @param texts the completions' texts
   * @param tokens their generated token counts
   */
  public void accept(List<String> texts, List<Integer> tokens) {
    String prefix = pendingContext().substring(prompt.length());
    List<Rollout> rs = new ArrayList<>(texts.size());
    int correct = 0;
    for (int i = 0; i < texts.size(); i++) {
      boolean ok = task.isCorrect(prefix + texts.get(i), problem);
      correct += ok ? 1 : 0;
      rs.add(new Rollout(task.splitSteps(texts.get(i)), tokens.get(i), ok));
    }
    completions += texts.size();
    State s = new State(pendingSteps, texts.isEmpty() ? 0 : correct / (double) texts.size(), rs);
    states.add(s);
    if (s.mc > 0) {
      for (Rollout r : rs) {
        if (!r.correct() && !r.steps().isEmpty()) {
          pool.add(new Cand(s, r));
        }
      }
    }
    if (search == null) {
      if (s.mc == 0 || s.mc == 1) {
        done = true;
        return;
      }
    } else {
      search.observe(s.mc > 0);
    }
    advance();
  }

  /** Moves to the next probe, or ends. */
  private void advance() {
    while (true) {
      if (search != null && !search.done()) {
        int mid = search.nextProbe();
        pendingSteps = concat(current.state().steps, current.rollout().steps().subList(0, mid));
        State known = find(pendingSteps);
        if (known == null) {
          return;
        }
        // the tree already holds this prefix (another rollout with the same steps): reuse its MC
        search.observe(known.mc > 0);
        continue;
      }
      if (search != null) {
        probes += search.probes();
        searchedSteps += search.steps();
        if (search.firstError() == search.steps() - 1
            && find(concat(current.state().steps, current.rollout().steps())) == null) {
          // the error is the rollout's last step: the whole rollout is its state, known wrong
          states.add(new State(concat(current.state().steps, current.rollout().steps()), 0, List.of()));
        }
        current.state().visits++;
        search = null;
        current = null;
      }
      if (completions + cfg.numRollouts() > cfg.searchLimit() || pool.isEmpty()) {
        done = true;
        return;
      }
      long sumVisits = 0;
      for (State st : states) {
        sumVisits += st.visits;
      }
      List<OmegaSelection.Candidate> cs = new ArrayList<>(pool.size());
      for (Cand c : pool) {
        cs.add(new OmegaSelection.Candidate(c.state().mc, c.state().visits, c.rollout().tokens()));
      }
      current = pool.remove(selection.select(cs, sumVisits));
      search = new FirstErrorSearch(current.rollout().steps().size());
      searches++;
    }
  }

  /** @return the state with exactly these steps, or null */
  private State find(List<String> steps) {
    for (State st : states) {
      if (st.steps.equals(steps)) {
        return st;
      }
    }
    return null;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  /** @return one row per non-root state: (prompt, prefix, next step, MC), resp_id = the state's index */
  public List<PrmRow> rows() {
    List<PrmRow> out = new ArrayList<>();
    for (int i = 1; i < states.size(); i++) {
      State s = states.get(i);
      if (!s.steps.isEmpty()) {
        out.add(PrmRow.of(problem.id(), prompt, problem.label(), i, s.steps, false, s.mc));
      }
    }
    return out;
  }

  /**
   * Augmentation rows: every prefix of every correct completion seen (from any state) reached the
   * answer, so it is labelled 1; rows whose state text is within {@code similarity_threshold} of a
   * row already kept (the OmegaPRM rows first) at the same step index are dropped ({@link
   * Similarity}). resp_id continues after the states' indices.
   */
  public List<PrmRow> augmentedRows() {
    List<PrmRow> kept = new ArrayList<>(rows());
    List<PrmRow> out = new ArrayList<>();
    int id = states.size();
    for (State s : states) {
      for (Rollout r : s.rollouts) {
        if (!r.correct()) {
          continue;
        }
        for (int j = 1; j <= r.steps().size(); j++) {
          List<String> steps = concat(s.steps, r.steps().subList(0, j));
          PrmRow row = PrmRow.of(problem.id(), prompt, problem.label(), id, steps, j == r.steps().size(), 1.0);
          boolean dup = false;
          for (PrmRow k : kept) {
            if (k.stepId() == row.stepId() && Similarity.atLeast(k.state(), row.state(), cfg.similarityThreshold())) {
              dup = true;
              break;
            }
          }
          if (!dup) {
            kept.add(row);
            out.add(row);
            id++;
          }
        }
      }
    }
    return out;
  }

  /** @return the question's statistics line */
  public OmegaStats stats() {
    State root = states.isEmpty() ? null : states.get(0);
    return new OmegaStats(problem.id(), root == null ? 0 : root.mc, root == null ? 0 : (int) root.rollouts.stream().filter(Rollout::correct).count(),
        root == null ? 0 : root.rollouts.size(), states.size(), completions, searches, probes, searchedSteps, rows().size());
  }
}

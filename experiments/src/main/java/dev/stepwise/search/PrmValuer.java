package dev.stepwise.search;

import dev.stepwise.generate.Completion;
import dev.stepwise.rl.prm.PrmReward;
import dev.stepwise.task.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * A process reward model as the value model of search, in process: the partial solution's steps
 * joined by newlines are scored by {@link PrmReward#stepScores} (the PRM's score at the last token
 * of each step, the positions it was trained on, by {@code prm.class_reduce} / {@code
 * prm.prob_labels}), {@code prm.batch_size} sequences per forward, and the last step's score is
 * the partial solution's value. The PRM is causal, so a step's score does not depend on what
 * follows it: scoring each new node once is exact.
 */
public final class PrmValuer implements StepValuer {
  private final PrmReward prm;

  /** @param prm the loaded reward model (the caller closes it) */
  public PrmValuer(PrmReward prm) {
    this.prm = prm;
  }

  @Override
  public double[] score(List<Problem> problems, List<List<String>> steps) {
    List<Completion> cs = new ArrayList<>(steps.size());
    int[] n = new int[steps.size()];
    for (int i = 0; i < n.length; i++) {
      cs.add(new Completion(String.join("\n", steps.get(i)), new int[0], Completion.STOP, 0, new float[0]));
      n[i] = steps.get(i).size();
    }
    List<double[]> s = prm.stepScores(problems, cs, n);
    double[] out = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      double[] v = s.get(i);
      out[i] = v[v.length - 1];
    }
    return out;
  }
}

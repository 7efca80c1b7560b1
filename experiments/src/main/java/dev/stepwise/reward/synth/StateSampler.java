package dev.stepwise.reward.synth;

import dev.stepwise.config.UserError;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples intermediate states from responses, after the reference's {@code
 * sample_intermediate_responses} ({@code scripts/sample_react_inter_states_v2.3.py} of
 * SparkJiao/dpo-trajectory-reasoning: {@code steps = steps[:-1]}, then {@code start_step_id =
 * int(len(steps) * ratio_s)}): a response of {@code L} steps (the task's splitting) has candidate
 * prefixes ending at steps {@code floor((L - 1) * ratio_s)} .. {@code L - 2} (the last step, the
 * final answer, is dropped before the start is computed: a state that already holds the answer
 * needs no rollout); each candidate is kept with probability {@code ratio}.
 *
 * <p><b>Randomness.</b> Candidate {@code j} of response {@code r} of problem {@code id} is kept
 * when {@link #uniform}{@code (seed, id, r, j) < ratio}: one uniform number per (problem,
 * response, step), independent of file order, shards, {@code ratio_s} and of the other steps. So
 * the same seed gives the same states, and for one seed the states kept at a smaller {@code
 * ratio} are a subset of those kept at a larger one. {@code ratio = 1} keeps every candidate,
 * {@code ratio = 0} none.
 */
public final class StateSampler {
  private final double ratio;
  private final double ratioS;
  private final long seed;

  /**
   * @param ratio keep probability of each candidate, in [0, 1]
   * @param ratioS the fraction of leading steps never used as states, in [0, 1]
   * @param seed the sampling seed
   * @throws UserError when a ratio is outside [0, 1]
   */
  public StateSampler(double ratio, double ratioS, long seed) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new UserError("states.ratio must be in [0, 1], got " + ratio);
    }
    if (!(ratioS >= 0 && ratioS <= 1)) {
      throw new UserError("states.ratio_s must be in [0, 1], got " + ratioS);
    }
    this.ratio = ratio;
    this.ratioS = ratioS;
    this.seed = seed;
  }

  /**
   * @param r a sampled problem with its responses
   * @param task splits responses into steps
   * @return the kept states of every response, by response then step, each of type {@code inter}
   */
  public List<StateRecord> states(SampleRecord r, Task task) {
    List<StateRecord> out = new ArrayList<>();
    for (int respId = 0; respId < r.response().size(); respId++) {
      String resp = r.response().get(respId);
      List<String> steps = task.splitSteps(resp);
      int[] ends = StepSpans.ends(resp, steps);
      int len = steps.size();
      for (int j = Math.max(0, (int) Math.floor((len - 1) * ratioS)); j < len - 1; j++) {
        if (uniform(seed, r.id(), respId, j) < ratio) {
          out.add(new StateRecord(r.id(), r.prompt(), r.label(), respId, j, resp.substring(0, ends[j]), StateRecord.INTER));
        }
      }
    }
    return out;
  }

  /**
   * A uniform number in [0, 1) determined by its arguments: SplitMix64's finaliser applied in
   * turn to the seed, {@code id.hashCode()} (specified by the Java platform), the response and
   * the step, top 53 bits as the fraction.
   */
  public static double uniform(long seed, String id, int respId, int stepId) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ id.hashCode());
    h = mix(h ^ ((long) respId << 32 | (stepId & 0xFFFFFFFFL)));
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Splits {@code items} into {@code k} contiguous shards whose sizes differ by at most one (the
   * first {@code size % k} shards get the extra item), so that no item is dropped or repeated.
   *
   * @param k the number of shards, at least 1
   * @return exactly {@code k} lists (some empty when {@code k > size}) whose concatenation is
   *     {@code items}
   * @throws UserError when {@code k < 1}
   */
  public static <T> List<List<T>> shards(List<T> items, int k) {
    if (k < 1) {
      throw new UserError("states.split_num must be >= 1, got " + k);
    }
    List<List<T>> out = new ArrayList<>(k);
    int base = items.size() / k;
    int extra = items.size() % k;
    int from = 0;
    for (int i = 0; i < k; i++) {
      int size = base + (i < extra ? 1 : 0);
      out.add(items.subList(from, from + size));
      from += size;
    }
    return out;
  }
}

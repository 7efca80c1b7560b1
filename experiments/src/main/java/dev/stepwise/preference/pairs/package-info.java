/**
 * Pair builders: the sampler job {@code pairs} ({@link dev.stepwise.preference.pairs.PairsJob})
 * runs the {@link dev.stepwise.preference.pairs.PairBuilder} named by {@code pairs.builder} and
 * writes its {@link dev.stepwise.preference.data.PreferencePair}s as JSONL. Built-in: {@code
 * outcome} (correct × incorrect responses of a problem), {@code labelled_solutions} (the same
 * over already-labelled real solutions) and {@code best_of} (ranked by PRM trajectory rewards,
 * {@link dev.stepwise.preference.pairs.BestOfPairs}). Further builders ({@code first_pit} from
 * exploration) register under their own names through the {@code PairBuilder} map binder.
 */
package dev.stepwise.preference.pairs;

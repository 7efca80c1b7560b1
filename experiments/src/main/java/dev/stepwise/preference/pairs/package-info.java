/**
 * Pair builders: the sampler job {@code pairs} ({@link dev.stepwise.preference.pairs.PairsJob})
 * runs the {@link dev.stepwise.preference.pairs.PairBuilder} named by {@code pairs.builder} and
 * writes its {@link dev.stepwise.preference.data.PreferencePair}s as JSONL. Built-in: {@code
 * outcome} (correct × incorrect responses of a problem). Further builders ({@code best_of} from
 * PRM step scores, {@code first_pit} from exploration) register under their own names through
 * the {@code PairBuilder} map binder.
 */
package dev.stepwise.preference.pairs;

/**
 * Pair builders: the sampler job {@code pairs} ({@link dev.stepwise.preference.pairs.PairsJob})
 * runs the {@link dev.stepwise.preference.pairs.PairBuilder} named by {@code pairs.builder} and
 * writes its {@link dev.stepwise.preference.data.PreferencePair}s as JSONL. Built-in: {@code
 * outcome} (correct × incorrect responses of a problem), {@code labelled_solutions} (the same
 * over already-labelled real solutions), {@code best_of} (ranked by PRM trajectory rewards,
 * {@link dev.stepwise.preference.pairs.BestOfPairs}), {@code first_pit} (Self-Explore's first
 * pits: an {@link dev.stepwise.preference.pairs.Explorer} continues every step prefix of the
 * rejected side of each of Self-Explore's outcome pairs, {@link
 * dev.stepwise.preference.pairs.FirstPit}) and {@code step} (step-level
 * pairs of states that share a prefix, ranked by Monte Carlo values, {@link
 * dev.stepwise.preference.pairs.StepPairs}). Further builders register under their own names
 * through the {@code PairBuilder} map binder.
 */
package dev.stepwise.preference.pairs;

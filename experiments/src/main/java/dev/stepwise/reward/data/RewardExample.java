package dev.stepwise.reward.data;

/**
 * A tokenised {@link LabelledResponse}.
 *
 * @param id the problem id
 * @param ids token ids of prompt + response up to the last labelled step, at most the context
 *     length (the start is cut when longer)
 * @param positions token index of each label (the last token of its step), strictly increasing,
 *     in [0, ids.length)
 * @param targets the label of each position, in [0, 1]
 * @param truncated true when the start of the sequence (or some labels) was cut to fit
 */
public record RewardExample(String id, int[] ids, int[] positions, float[] targets, boolean truncated) {}

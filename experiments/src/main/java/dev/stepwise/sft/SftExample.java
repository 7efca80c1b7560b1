package dev.stepwise.sft;

/**
 * One tokenised SFT example.
 *
 * @param promptIds the prompt's token ids (masked out of the loss)
 * @param completionIds the completion's token ids, ending with EOS (trained on)
 */
public record SftExample(int[] promptIds, int[] completionIds) {}

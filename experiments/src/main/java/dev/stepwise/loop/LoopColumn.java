package dev.stepwise.loop;

/**
 * One column of the loop's table: the value of {@code key} in the last summary line of {@code
 * <iteration>/<stage>/metrics.jsonl} (the {@code jsonl} tracker's file) that has the key.
 *
 * @param column the column's title
 * @param stage an iteration stage's name
 * @param key a summary key of that stage's job (e.g. {@code pairs/pairs}, {@code
 *     sample/greedy_accuracy})
 */
public record LoopColumn(String column, String stage, String key) {}

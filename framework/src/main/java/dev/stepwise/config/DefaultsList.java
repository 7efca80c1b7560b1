package dev.stepwise.config;

import java.util.List;
import java.util.Map;

/**
 * The result of walking the defaults lists: the files to merge, in order, and the option chosen
 * for every config group.
 *
 * @param items the configs in merge order (later ones override earlier ones)
 * @param choices group key ({@code model}, {@code model/tokenizer}, {@code model@teacher}) to the
 *     chosen option as text, in the order the groups were met; a list of options reads
 *     {@code [console, jsonl]}; a null option means {@code {group: null}} (nothing loaded)
 * @param choiceLists group key to the chosen options in merge order (empty for null)
 */
public record DefaultsList(List<DefaultsItem> items, Map<String, String> choices, Map<String, List<String>> choiceLists) {}

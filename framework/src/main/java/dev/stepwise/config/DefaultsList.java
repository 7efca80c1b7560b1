package dev.stepwise.config;

import java.util.List;
import java.util.Map;

/**
 * The result of walking the defaults lists: the files to merge, in order, and the option chosen
 * for every config group.
 *
 * @param items the configs in merge order (later ones override earlier ones)
 * @param choices group path ({@code model}, {@code model/tokenizer}) to the chosen option, in the
 *     order the groups were met; a null option means {@code {group: null}} (nothing loaded)
 */
public record DefaultsList(List<DefaultsItem> items, Map<String, String> choices) {}

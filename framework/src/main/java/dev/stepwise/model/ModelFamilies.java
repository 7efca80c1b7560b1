package dev.stepwise.model;

import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registry of {@link ModelFamily} implementations by name (the {@code model.family} config value
 * and a checkpoint's {@code stepwise_family}). GPT-2 and the Llama family are built in; other families register
 * themselves (the injection layer may also bind families by name and register them here).
 */
public final class ModelFamilies {
  private static final Map<String, ModelFamily> FAMILIES = new TreeMap<>();

  static {
    register(new Gpt2Family());
    register(new dev.stepwise.model.llama.LlamaFamily());
  }

  private ModelFamilies() {}

  /** Adds or replaces a family under its {@link ModelFamily#name()}. */
  public static synchronized void register(ModelFamily family) {
    FAMILIES.put(family.name(), family);
  }

  /** @return the registered names, sorted */
  public static synchronized List<String> names() {
    return new ArrayList<>(FAMILIES.keySet());
  }

  /**
   * @param name a family name, e.g. {@code "gpt2"}
   * @return the family
   * @throws UserError naming the unknown family, the known ones and the closest match
   */
  public static synchronized ModelFamily get(String name) {
    ModelFamily f = FAMILIES.get(name);
    if (f != null) {
      return f;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : FAMILIES.keySet()) {
      int dist = distance(String.valueOf(name), k);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = k;
      }
    }
    String hint = best != null && bestDistance <= 3 ? " Did you mean '" + best + "'?" : "";
    throw new UserError("Unknown model family '" + name + "'; known families: " + FAMILIES.keySet() + "." + hint);
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

package dev.stepwise.model.lora;

import dev.stepwise.config.UserError;
import dev.stepwise.model.LinearModule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which of a model's {@link LinearModule}s {@code lora.target_modules} selects, by PEFT's rules
 * (PEFT docs, {@code LoraConfig.target_modules}): a list entry matches a module whose path equals
 * it or ends with {@code "." + entry}; a single entry that looks like a regular expression is
 * matched against the whole path ({@code re.fullmatch}); {@code all-linear} selects every
 * projection of the decoder layers. Without targets, PEFT's defaults for the architecture apply.
 */
public final class LoraTargets {
  private static final Pattern REGEX_CHARS = Pattern.compile("[*+?()\\[\\]|^$\\\\{}]");

  private LoraTargets() {}

  /**
   * @param modules the model's projections ({@code AdaptableLM.linearModules()})
   * @param targets {@code lora.target_modules}, or null for the family default
   * @param family the model family ({@code gpt2} or a Llama-family name)
   * @return the selected modules in the model's order
   * @throws UserError when an entry matches no module (naming the module leaves that exist) or
   *     the regular expression is malformed
   */
  public static List<LinearModule> select(List<LinearModule> modules, List<String> targets, String family) {
    List<String> t = targets != null ? targets : defaults(family);
    if (t.size() == 1 && t.get(0).equals(LoraConfig.ALL_LINEAR)) {
      return List.copyOf(modules);
    }
    List<LinearModule> out = new ArrayList<>();
    if (t.size() == 1 && REGEX_CHARS.matcher(t.get(0)).find()) {
      Pattern p;
      try {
        p = Pattern.compile(t.get(0));
      } catch (PatternSyntaxException e) {
        throw new UserError("lora.target_modules = '" + t.get(0) + "' is not a valid regular expression: " + e.getDescription());
      }
      for (LinearModule m : modules) {
        if (p.matcher(m.name()).matches()) {
          out.add(m);
        }
      }
      if (out.isEmpty()) {
        throw new UserError("lora.target_modules = '" + t.get(0) + "' matches no module path; paths look like "
            + modules.get(0).name());
      }
      return out;
    }
    Set<String> unused = new LinkedHashSet<>(t);
    for (LinearModule m : modules) {
      for (String entry : t) {
        if (m.name().equals(entry) || m.name().endsWith("." + entry)) {
          out.add(m);
          unused.remove(entry);
          break;
        }
      }
    }
    if (!unused.isEmpty()) {
      Set<String> leaves = new LinkedHashSet<>();
      for (LinearModule m : modules) {
        leaves.add(m.leaf());
      }
      throw new UserError("lora.target_modules: " + unused + " match no linear module of this " + family
          + " model; its modules are " + leaves + " (or all-linear)");
    }
    return out;
  }

  /** PEFT's default targets for an architecture (its {@code TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING}). */
  static List<String> defaults(String family) {
    return family.equals("gpt2") ? List.of("c_attn") : List.of("q_proj", "v_proj");
  }
}

package dev.stepwise.config;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;

/**
 * A composed config before resolution: what {@code --cfg job} prints (Hydra prints configs
 * unresolved) and what {@link #resolve(Map)} turns into a {@link ComposedConfig}.
 *
 * @param config the merged config with overrides applied; {@code ${...}} still unresolved
 * @param source the conf root and primary file
 * @param defaults the final defaults list and group choices
 * @param overrides the command-line overrides, in order
 */
public record Composition(Config config, ConfigSource source, DefaultsList defaults, List<ConfigOverride> overrides) {

  /** @return group path to chosen option (null: no option) */
  public Map<String, String> choices() {
    return defaults.choices();
  }

  /**
   * @param group a group key such as {@code tracker}
   * @return the options chosen for it in merge order ({@code [console, jsonl]}); empty when the
   *     group is absent or {@code null}
   */
  public List<String> choiceList(String group) {
    return defaults.choiceLists().getOrDefault(group, List.of());
  }

  /**
   * @param env environment for {@code ${VAR}} fallbacks
   * @return the resolved config with its metadata
   * @throws UserError when a substitution cannot be resolved
   */
  public ComposedConfig resolve(Map<String, String> env) {
    return new ComposedConfig(Resolver.resolve(config, env), this);
  }

  /** @return {@link #resolve(Map)} with the process environment */
  public ComposedConfig resolve() {
    return resolve(System.getenv());
  }
}

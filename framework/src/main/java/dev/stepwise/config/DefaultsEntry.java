package dev.stepwise.config;

import com.typesafe.config.ConfigOrigin;

/**
 * One entry of a {@code defaults} list, as written in a config file (or added by a
 * {@code +group=option} override).
 *
 * <p>The model already carries Hydra's {@code optional}, {@code override} and {@code @package}
 * flags so that later features only change the builder; {@link DefaultsListParser} rejects them
 * for now.
 */
public sealed interface DefaultsEntry permits DefaultsEntry.Self, DefaultsEntry.Group {

  /** @return where the entry was written */
  ConfigOrigin origin();

  /** {@code _self_}: where the containing file's own content is merged. */
  record Self(ConfigOrigin origin) implements DefaultsEntry {}

  /**
   * {@code {group: option}}.
   *
   * @param group the group as written, relative to the containing file's group unless
   *     {@code absolute} (e.g. {@code model}, {@code api/vllm_params})
   * @param option the option name, or null for {@code {group: null}} (no option)
   * @param absolute whether the group was written with a leading {@code /}
   * @param packageOverride the {@code @pkg} part, or null (not supported yet)
   * @param optional Hydra's {@code optional} keyword (not supported yet)
   * @param override Hydra's {@code override} keyword (not supported yet)
   * @param origin where the entry was written
   */
  record Group(String group, @Nullable String option, boolean absolute, @Nullable String packageOverride,
      boolean optional, boolean override, ConfigOrigin origin) implements DefaultsEntry {}
}

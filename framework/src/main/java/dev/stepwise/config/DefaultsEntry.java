package dev.stepwise.config;

import com.typesafe.config.ConfigOrigin;
import java.util.List;

/**
 * One entry of a {@code defaults} list, as written in a config file.
 *
 * <p>Hydra 1.1 forms: {@code _self_}, {@code {group: option}}, {@code {group: null}},
 * {@code {group: [a, b]}} (several options of one group, merged in order),
 * {@code {optional group: option}} (skipped when the option file is missing),
 * {@code {override /group: option}} (changes the option another file chose) and
 * {@code {group@pkg: option}} (places the option's content under another package).
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
   * @param options the option names in merge order (one for {@code {g: x}}, several for
   *     {@code {g: [x, y]}}); null for {@code {group: null}} (no option)
   * @param list whether the options were written as a list
   * @param absolute whether the group was written with a leading {@code /}
   * @param packageOverride the {@code @pkg} part, or null
   * @param optional Hydra's {@code optional} keyword
   * @param override Hydra's {@code override} keyword
   * @param origin where the entry was written
   */
  record Group(String group, @Nullable List<String> options, boolean list, boolean absolute,
      @Nullable String packageOverride, boolean optional, boolean override, ConfigOrigin origin)
      implements DefaultsEntry {

    /** @return the group key including the package, e.g. {@code model@teacher} */
    public String key() {
      return packageOverride == null ? group : group + "@" + packageOverride;
    }
  }
}

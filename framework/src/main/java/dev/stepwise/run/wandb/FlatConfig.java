package dev.stepwise.run.wandb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A resolved config as W&amp;B config items: one entry per leaf, keyed by its dotted path
 * ({@code optim.lr}, {@code model.n_layer}, {@code tracker.wandb.tags}), the value as JSON
 * (numbers, strings, booleans, {@code null}; lists as JSON arrays). An empty object is a leaf
 * holding {@code {}}.
 */
public final class FlatConfig {
  private static final ObjectMapper JSON = dev.stepwise.run.MetricJson.MAPPER;

  private FlatConfig() {}

  /**
   * @param config the resolved config
   * @return dotted path to JSON value, sorted by path
   */
  public static Map<String, String> of(Config config) {
    Map<String, String> out = new TreeMap<>();
    walk("", config.root(), out);
    return out;
  }

  private static void walk(String prefix, ConfigObject obj, Map<String, String> out) {
    if (obj.isEmpty() && !prefix.isEmpty()) {
      out.put(prefix, "{}");
      return;
    }
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.OBJECT) {
        walk(key, (ConfigObject) v, out);
      } else {
        out.put(key, json(v.unwrapped()));
      }
    }
  }

  /** @return {@code value} as JSON text; NaN and ±Infinity as the bare numbers W&B writes ({@link dev.stepwise.run.MetricJson}) */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.stepwise.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.TreeSet;

/**
 * Converts a resolved Typesafe value into a Jackson tree, keeping the HOCON types: an integer
 * stays an integer node, {@code 1.5} a double node, {@code "5"} a text node. (Going through
 * strings would let Jackson coerce silently.)
 */
final class ConfigJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ConfigJson() {}

  /** @return the Jackson node for {@code v}; object keys in sorted order */
  static JsonNode toJson(ConfigValue v) {
    if (v instanceof ConfigObject obj) {
      ObjectNode node = F.objectNode();
      for (String k : new TreeSet<>(obj.keySet())) node.set(k, toJson(obj.get(k)));
      return node;
    }
    if (v instanceof ConfigList list) {
      ArrayNode node = F.arrayNode();
      for (ConfigValue e : list) node.add(toJson(e));
      return node;
    }
    Object u = v.unwrapped();
    if (u == null) return F.nullNode();
    if (u instanceof Integer i) return F.numberNode(i);
    if (u instanceof Long l) return F.numberNode(l);
    if (u instanceof Double d) return F.numberNode(d);
    if (u instanceof Number n) return F.numberNode(n.doubleValue());
    if (u instanceof Boolean b) return F.booleanNode(b);
    return F.textNode(u.toString());
  }
}

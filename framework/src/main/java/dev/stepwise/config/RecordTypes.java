package dev.stepwise.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Follows a config path through record components, lists and maps to find the Java type that
 * a subtree is bound to (used to name the record in "required by X" messages).
 */
final class RecordTypes {
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private RecordTypes() {}

  /**
   * @param root the bound type
   * @param path segments: snake_case keys and list indices
   * @return the raw class at {@code path}, or null when it cannot be followed
   */
  static Class<?> typeAt(Type root, List<Object> path) {
    Type t = root;
    for (Object seg : path) {
      Class<?> raw = raw(t);
      if (raw == null) return null;
      if (seg instanceof Integer) {
        if (t instanceof GenericArrayType g) t = g.getGenericComponentType();
        else if (raw.isArray()) t = raw.getComponentType();
        else if (Collection.class.isAssignableFrom(raw) && t instanceof ParameterizedType p) t = p.getActualTypeArguments()[0];
        else return null;
      } else if (Map.class.isAssignableFrom(raw) && t instanceof ParameterizedType p) {
        t = p.getActualTypeArguments()[1];
      } else if (raw.isRecord()) {
        Type next = null;
        for (RecordComponent c : raw.getRecordComponents()) {
          if (SNAKE.translate(c.getName()).equals(seg)) next = c.getGenericType();
        }
        if (next == null) return null;
        t = next;
      } else {
        return null;
      }
    }
    return raw(t);
  }

  /** @return the snake_case config keys of a record's components, in declaration order */
  static List<String> propertyNames(Class<?> record) {
    return java.util.Arrays.stream(record.getRecordComponents()).map(c -> SNAKE.translate(c.getName())).toList();
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) return c;
    if (t instanceof ParameterizedType p) return raw(p.getRawType());
    return null;
  }
}

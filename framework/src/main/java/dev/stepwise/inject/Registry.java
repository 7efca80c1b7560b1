package dev.stepwise.inject;

import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.UserError;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Named components of one kind, filled by a Guice {@code MapBinder}.
 *
 * @param <T> the component type
 */
public final class Registry<T> {
  private final String kind;
  private final Map<String, T> items;

  /**
   * @param kind what the components are, for messages ("task", "model family", ...)
   * @param items name to component
   */
  public Registry(String kind, Map<String, T> items) {
    this.kind = kind;
    this.items = new TreeMap<>(items);
  }

  /**
   * @param name the configured name
   * @param where where the name came from (e.g. {@code conf/task/arith.conf:2}), for messages
   * @return the component
   * @throws UserError naming the unknown name, its origin, the closest name and every available
   *     one
   */
  public T get(String name, String where) {
    T t = items.get(name);
    if (t == null) {
      String hint = DidYouMean.closest(name, items.keySet()).map(c -> " Did you mean '" + c + "'?").orElse("");
      throw new UserError(
          "Unknown " + kind + " '" + name + "' (" + where + ")." + hint + " Available: " + String.join(", ", items.keySet()));
    }
    return t;
  }

  /** @return the registered names, sorted */
  public Set<String> names() {
    return items.keySet();
  }
}

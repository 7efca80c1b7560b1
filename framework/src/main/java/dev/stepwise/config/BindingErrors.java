package dev.stepwise.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's binding exceptions into one {@link UserError} message:
 *
 * <ul>
 *   <li>{@code Unknown key 'trainer.max_stepz' (conf/x.conf:14). Did you mean
 *       'trainer.max_steps'?} (or {@code Valid keys: ...} when nothing is close);
 *   <li>{@code Type mismatch at 'trainer.max_steps' (conf/x.conf:14): expected an integer, got
 *       'abc' (string)};
 *   <li>{@code Missing key 'trainer.max_steps' required by TrainerConfig (conf/x.conf:10)}, with
 *       the origin of the parent object;
 *   <li>{@code Invalid value at 'model' (conf/x.conf:3): <message>} when a record's constructor
 *       rejects its values.
 * </ul>
 */
final class BindingErrors {
  private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']+)'");

  private BindingErrors() {}

  /**
   * @param e the Jackson exception
   * @param subtree the config value that was bound
   * @param base the subtree's path in the whole config
   * @param rootType the type it was bound to
   */
  static UserError toUserError(JacksonException e, ConfigValue subtree, List<Object> base, Class<?> rootType) {
    List<Object> rel = new ArrayList<>();
    if (e instanceof JsonMappingException jm) {
      for (JsonMappingException.Reference r : jm.getPath()) {
        rel.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
      }
    }
    if (e instanceof UnrecognizedPropertyException u) {
      appendIfMissing(rel, u.getPropertyName());
      List<String> known = new ArrayList<>(new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList()));
      String parent = ConfigPaths.render(concat(base, rel.subList(0, rel.size() - 1)));
      String hint = DidYouMean.closest(u.getPropertyName(), known)
          .map(k -> " Did you mean '" + (parent.isEmpty() ? k : parent + "." + k) + "'?")
          .orElse(" Valid keys: " + String.join(", ", known) + ".");
      return new UserError("Unknown key '" + ConfigPaths.render(concat(base, rel)) + "' (" + where(subtree, rel) + ")." + hint, e);
    }
    Matcher m = MISSING.matcher(e.getOriginalMessage());
    if (e instanceof MismatchedInputException && m.find()) {
      appendIfMissing(rel, m.group(1));
      List<Object> parentRel = rel.subList(0, rel.size() - 1);
      Class<?> owner = RecordTypes.typeAt(rootType, parentRel);
      UserError typo = typoFor(m.group(1), owner, subtree, base, parentRel, e);
      if (typo != null) return typo;
      return new UserError("Missing key '" + ConfigPaths.render(concat(base, rel)) + "' required by "
          + (owner == null ? rootType : owner).getSimpleName() + " (" + where(subtree, rel) + ")", e);
    }
    if (e instanceof InvalidNullException n && n.getPropertyName() != null) {
      appendIfMissing(rel, n.getPropertyName().getSimpleName());
    }
    if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      ConfigValue got = at(subtree, rel);
      String msg = "Type mismatch at '" + ConfigPaths.render(concat(base, rel)) + "' (" + where(subtree, rel) + "): expected "
          + expected(mi.getTargetType()) + ", got " + describe(got);
      if (mi.getTargetType().isEnum() && got != null && got.unwrapped() instanceof String s) {
        msg += "." + DidYouMean.hint(s, enumNames(mi.getTargetType()));
      }
      return new UserError(msg, e);
    }
    String path = ConfigPaths.render(concat(base, rel));
    if (e instanceof ValueInstantiationException) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new UserError("Invalid value at '" + path + "' (" + where(subtree, rel) + "): " + cause.getMessage(), e);
    }
    return new UserError("Could not bind '" + path + "' to " + rootType.getSimpleName() + " (" + where(subtree, rel)
        + "): " + e.getOriginalMessage(), e);
  }

  /**
   * Jackson reports a missing creator property before an unknown one; when the parent object
   * holds an unknown key close to the missing one, the unknown key (a typo) is the better message.
   */
  private static UserError typoFor(String missing, Class<?> owner, ConfigValue subtree, List<Object> base,
      List<Object> parentRel, JacksonException e) {
    ConfigValue parent = at(subtree, parentRel);
    if (owner == null || !owner.isRecord() || !(parent instanceof com.typesafe.config.ConfigObject obj)) return null;
    List<String> props = RecordTypes.propertyNames(owner);
    List<String> unknown = obj.keySet().stream().filter(k -> !props.contains(k)).sorted().toList();
    return DidYouMean.closest(missing, unknown).map(typo -> {
      List<Object> rel = new ArrayList<>(parentRel);
      rel.add(typo);
      String parentPath = ConfigPaths.render(concat(base, parentRel));
      return new UserError("Unknown key '" + ConfigPaths.render(concat(base, rel)) + "' (" + where(subtree, rel)
          + "). Did you mean '" + (parentPath.isEmpty() ? missing : parentPath + "." + missing) + "'?", e);
    }).orElse(null);
  }

  private static void appendIfMissing(List<Object> rel, String name) {
    if (rel.isEmpty() || !name.equals(rel.get(rel.size() - 1))) rel.add(name);
  }

  private static List<Object> concat(List<Object> a, List<Object> b) {
    List<Object> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static ConfigValue at(ConfigValue subtree, List<Object> rel) {
    return ConfigPaths.get(subtree, rel);
  }

  private static String where(ConfigValue subtree, List<Object> rel) {
    return Origins.where(ConfigPaths.deepestExisting(subtree, rel));
  }

  /** @return a phrase for the expected type: "an integer", "a number", "one of [a, b]", ... */
  static String expected(Class<?> t) {
    if (t == int.class || t == long.class || t == short.class || t == byte.class || t == Integer.class
        || t == Long.class || t == Short.class || t == Byte.class || t == java.math.BigInteger.class) {
      return "an integer";
    }
    if (t == double.class || t == float.class || t == Double.class || t == Float.class || Number.class.isAssignableFrom(t)) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) return "a boolean";
    if (t == String.class || t == char.class || t == Character.class || CharSequence.class.isAssignableFrom(t)) return "a string";
    if (t.isEnum()) return "one of [" + String.join(", ", enumNames(t)) + "]";
    if (t.isArray() || java.util.Collection.class.isAssignableFrom(t)) return "a list";
    if (java.util.Map.class.isAssignableFrom(t)) return "an object";
    return "an object (" + t.getSimpleName() + ")";
  }

  private static List<String> enumNames(Class<?> t) {
    return Arrays.stream(t.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList();
  }

  /** @return a phrase for a config value: "'abc' (string)", "1.5 (number)", "null", ... */
  static String describe(ConfigValue v) {
    if (v == null || v.unwrapped() == null) return "null";
    String r = v.render(com.typesafe.config.ConfigRenderOptions.concise());
    if (r.length() > 60) r = r.substring(0, 57) + "...";
    return switch (v.valueType()) {
      case STRING -> "'" + v.unwrapped() + "' (string)";
      case NUMBER -> r + " (number)";
      case BOOLEAN -> r + " (boolean)";
      case LIST -> r + " (list)";
      case OBJECT -> r + " (object)";
      default -> r;
    };
  }
}

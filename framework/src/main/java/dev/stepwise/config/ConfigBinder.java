package dev.stepwise.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Binds a resolved config subtree to a Java record with Jackson, strictly.
 *
 * <ul>
 *   <li>HOCON {@code snake_case} keys map to camelCase record components ({@code max_steps} to
 *       {@code maxSteps});
 *   <li>an unknown key fails (did-you-mean over the record's keys);
 *   <li>every component must be present and non-null unless marked {@link Nullable} (a missing
 *       {@code @Nullable} component binds to null). Jackson's
 *       {@code FAIL_ON_MISSING_CREATOR_PROPERTIES} cannot exempt single components, so the same
 *       rule is expressed by marking every other component required;
 *   <li>no silent coercion: a string or {@code 1.5} never becomes an int, a string never a
 *       number or boolean, an integer never a boolean or enum; an integer may become a double,
 *       and scalars may become strings;
 *   <li>enums match case-insensitively; nested records, {@code List}, {@code Map<String, ...>}
 *       work.
 * </ul>
 *
 * Errors become one {@link UserError} (see {@link BindingErrors}).
 */
public final class ConfigBinder {
  private static final ObjectMapper MAPPER = mapper();

  private ConfigBinder() {}

  /**
   * @param config a resolved config
   * @param path dotted key of the subtree ({@code ""} for the whole config)
   * @param type the target type, typically a record
   * @return the bound value
   * @throws UserError when the subtree is missing or does not fit {@code type}; the message names
   *     the key, the file and line, and the closest valid key
   */
  public static <T> T bind(Config config, String path, Class<T> type) {
    List<Object> segs = ConfigPaths.split(path);
    ConfigValue v;
    try {
      v = ConfigPaths.get(config.root(), segs);
    } catch (ConfigException.NotResolved e) {
      throw new IllegalStateException("bind() needs a resolved config", e);
    }
    if (v == null) {
      throw new UserError("Missing key '" + path + "' required by " + type.getSimpleName() + " ("
          + Origins.where(config, path) + ")." + DidYouMean.hint(path, ConfigPaths.allKeys(config.root())));
    }
    try {
      return MAPPER.readerFor(type).readValue(ConfigJson.toJson(v));
    } catch (JacksonException e) {
      throw BindingErrors.toUserError(e, v, segs, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the strict mapper used for binding (exposed for tests and for writing configs) */
  public static ObjectMapper mapper() {
    ObjectMapper m = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .annotationIntrospector(new StrictIntrospector())
        .build();
    for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    for (CoercionInputShape s : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      m.coercionConfigFor(LogicalType.Textual).setCoercion(s, CoercionAction.TryConvert);
    }
    return m;
  }

  /** Every member is required and non-null unless annotated {@link Nullable}. */
  private static final class StrictIntrospector extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasRequiredMarker(AnnotatedMember m) {
      return !m.hasAnnotation(Nullable.class);
    }

    @Override
    public JsonSetter.Value findSetterInfo(Annotated a) {
      JsonSetter.Value v = super.findSetterInfo(a);
      if (a.hasAnnotation(Nullable.class) || v.getValueNulls() != Nulls.DEFAULT) return v;
      return v.withValueNulls(Nulls.FAIL);
    }
  }
}

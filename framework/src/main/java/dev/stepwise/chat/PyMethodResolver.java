package dev.stepwise.chat;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;

/**
 * The EL resolver that gives strings Python's method names inside jinjava ({@code
 * s.strip()}, {@code s.lstrip('\n')}, {@code s.rstrip()}, {@code s.startswith(p)}, {@code
 * s.endswith(p)}, {@code s.split(sep, maxsplit)}, {@code s.upper()}, {@code
 * s.lower()}, {@code s.title()}, {@code s.capitalize()}, {@code s.replace(a, b[, n])}, {@code
 * s.find(sub)}, {@code s.count(sub)}, {@code sep.join(items)}), and every sequence the hidden
 * {@code __py_slice__(start, stop, step)} method that {@link TemplateSource} writes for {@code
 * seq[a:b:c]}. It answers only those calls and leaves every other lookup to jinjava's own
 * resolvers (it comes first in the composite that {@link JinjaEngine} installs through {@code
 * JinjavaConfig.Builder.withElResolver}, jinjava's documented extension point).
 *
 * <p>Semantics: {@link PyStrings} and {@link PySlice} (CPython's). A wrong argument raises an
 * {@link ELException} whose message starts with Python's error name ({@code TypeError: ...});
 * jinjava reports it as a fatal template error, which {@link ChatTemplate#render} turns into a
 * {@link dev.stepwise.config.UserError}.
 */
final class PyMethodResolver extends ELResolver {
  /** The method name {@link TemplateSource} gives extended slices. */
  static final String SLICE = "__py_slice__";

  private static final Set<String> STRING_METHODS = Set.of(
      "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "upper", "lower", "title",
      "capitalize", "replace", "find", "count", "join");

  @Override
  public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
    if (base == null || method == null) {
      return null;
    }
    String name = method.toString();
    Object[] args = params == null ? new Object[0] : params;
    if (name.equals(SLICE)) {
      context.setPropertyResolved(true);
      return call(() -> PySlice.slice(unwrap(base), arg(args, 0), arg(args, 1), arg(args, 2)));
    }
    Object b = unwrap(base);
    if (!(b instanceof CharSequence) || !STRING_METHODS.contains(name)) {
      return null;
    }
    context.setPropertyResolved(true);
    String s = b.toString();
    return call(() -> stringMethod(s, name, args));
  }

  private static Object stringMethod(String s, String name, Object[] a) {
    return switch (name) {
      case "strip" -> PyStrings.strip(s, optStr(a, 0, name), true, true);
      case "lstrip" -> PyStrings.strip(s, optStr(a, 0, name), true, false);
      case "rstrip" -> PyStrings.strip(s, optStr(a, 0, name), false, true);
      case "startswith" -> PyStrings.startsWith(s, required(a, 0, name), false);
      case "endswith" -> PyStrings.startsWith(s, required(a, 0, name), true);
      case "split" -> PyStrings.split(s, optStr(a, 0, name), a.length > 1 ? ((Number) a[1]).intValue() : -1);
      case "upper" -> s.toUpperCase(java.util.Locale.ROOT);
      case "lower" -> s.toLowerCase(java.util.Locale.ROOT);
      case "title" -> PyStrings.title(s);
      case "capitalize" -> PyStrings.capitalize(s);
      case "replace" -> PyStrings.replace(s, PyStrings.str(required(a, 0, name), name), PyStrings.str(required(a, 1, name), name),
          a.length > 2 ? ((Number) a[2]).intValue() : -1);
      case "find" -> s.indexOf(PyStrings.str(required(a, 0, name), name));
      case "count" -> PyStrings.count(s, PyStrings.str(required(a, 0, name), name));
      case "join" -> PyStrings.join(s, unwrap(required(a, 0, name)));
      default -> throw new IllegalStateException(name);
    };
  }

  private static Object call(java.util.function.Supplier<Object> f) {
    try {
      return f.get();
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new ELException(e.getMessage(), e);
    }
  }

  private static Object arg(Object[] a, int i) {
    return i < a.length ? a[i] : null;
  }

  private static Object required(Object[] a, int i, String name) {
    if (i >= a.length) {
      throw new IllegalArgumentException("TypeError: " + name + "() takes at least " + (i + 1) + " argument(s)");
    }
    return a[i];
  }

  private static String optStr(Object[] a, int i, String name) {
    Object o = arg(a, i);
    return o == null ? null : PyStrings.str(o, name);
  }

  /** jinjava hands sequences over as they are; only its SafeString needs its text. */
  private static Object unwrap(Object o) {
    return o instanceof com.hubspot.jinjava.objects.SafeString ss ? ss.toString() : o;
  }

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {
    // not resolved here: the next resolver decides
  }

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return true;
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return null;
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return null;
  }
}

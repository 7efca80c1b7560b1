package dev.stepwise.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import jinjava.javax.el.CompositeELResolver;

/**
 * Builds the jinjava engine that renders chat templates the way transformers' {@code
 * apply_chat_template} does with Python Jinja ({@code ImmutableSandboxedEnvironment(trim_blocks=True,
 * lstrip_blocks=True)} plus {@code raise_exception}, {@code strftime_now}, a {@code json.dumps}
 * {@code tojson} and the {@code generation} tag).
 *
 * <p>Settings, each through jinjava's public configuration: {@code trim_blocks} on ({@code
 * lstrip_blocks} is applied by {@link TemplateSource}, since jinjava's strips more than Jinja's); {@link LegacyOverrides#ALL} (Python Jinja's behaviour where jinjava kept a
 * legacy one: natural operator precedence, strict {@code {%-}/{@code -%}} whitespace control,
 * keyword argument parsing, Python-style map iteration) except {@code
 * whitespaceRequiredWithinTokens}, which would reject {@code {%-if ...}}; {@code
 * keepTrailingNewline} on, because {@link TemplateSource} strips the source's trailing newline as
 * Jinja does. The EL resolver is jinjava's read-only default behind {@link PyMethodResolver}
 * (Python {@code str} methods and extended slices); {@code tojson} is {@link PyJsonFilter};
 * {@code raise_exception} and {@code strftime_now} are {@link ChatFunctions}; {@code namespace},
 * {@code loop.*}, {@code is defined}, {@code [a:b]} slices and the usual filters are jinjava's
 * own.
 */
final class JinjaEngine {
  private JinjaEngine() {}

  /** @return a fresh engine (jinjava keeps per-render state in its global context: one per template, renders serialised) */
  static Jinjava create() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PyMethodResolver());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
    LegacyOverrides python = LegacyOverrides.Builder.from(LegacyOverrides.ALL).withWhitespaceRequiredWithinTokens(false).build();
    JinjavaConfig cfg = JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(false) // TemplateSource applies Jinja's lstrip_blocks rule
        .withKeepTrailingNewline(true)
        .withLegacyOverrides(python)
        .withElResolver(resolver)
        .build();
    Jinjava j = new Jinjava(cfg);
    j.getGlobalContext().registerFilter(new PyJsonFilter());
    j.getGlobalContext().registerTag(new GenerationTag());
    j.getGlobalContext().registerFunction(function("raise_exception", "raiseException", Object.class));
    j.getGlobalContext().registerFunction(function("strftime_now", "strftimeNow", String.class));
    // Python sees these globals as variables too: Llama 3.1 asks `strftime_now is defined`
    j.getGlobalContext().put("raise_exception", "<function raise_exception>");
    j.getGlobalContext().put("strftime_now", "<function strftime_now>");
    return j;
  }

  private static ELFunctionDefinition function(String name, String method, Class<?> arg) {
    try {
      Method m = ChatFunctions.class.getDeclaredMethod(method, arg);
      m.setAccessible(true);
      return new ELFunctionDefinition("", name, m);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}

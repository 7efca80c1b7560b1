package dev.stepwise.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.UserError;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What Hugging Face templates use beyond jinjava's own Jinja: Python {@code str} methods,
 * extended slices, keyword arguments with operators, {@code namespace}, {@code json.dumps}-style
 * {@code tojson}, {@code strftime_now}, {@code raise_exception}. Every expected string is what
 * Python's Jinja 3.1.6 renders for the same template in transformers' environment ({@code
 * ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)} with transformers' {@code
 * tojson}, {@code raise_exception}, {@code strftime_now}), recorded once by running it.
 */
class ChatPythonMethodsTest {
  private static final List<ChatMessage> CONV = List.of(ChatMessage.user("u"), ChatMessage.assistant("a"));

  private static String render(String template) {
    return new ChatTemplate("test template", template, "", "").render(CONV, false);
  }

  @Test
  void stripFamilyFollowsPython() {
    assertEquals("a b|x\n|x|hi", render("{{ '  a b \\n'.strip() }}|{{ '\\n\\nx\\n'.lstrip('\\n') }}|{{ 'x  \\n'.rstrip() }}|{{ 'xxhixx'.strip('x') }}"));
  }

  @Test
  void startsWithAndEndsWithTakeAStringOrATuple() {
    assertEquals("y y y n",
        render("{{ 'y' if 'hello'.startswith('he') else 'n' }} {{ 'y' if 'hello'.endswith('lo') else 'n' }} "
            + "{{ 'y' if 'hello'.startswith(('x', 'h')) else 'n' }} {{ 'y' if 'hello'.endswith('he') else 'n' }}"));
  }

  @Test
  void splitIsLiteralNotRegex() {
    assertEquals("['a', 'b', 'c'] ['a', 'b'] ['a', 'b,c'] b",
        render("{{ 'a.b.c'.split('.') }} {{ '  a  b '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ 'a</think>b'.split('</think>')[-1] }}"));
  }

  @Test
  void caseAndReplaceMethods() {
    assertEquals("HELLO WORLD They'Re Bill'S Friends Hello bba",
        render("{{ 'hello world'.upper() }} {{ \"they're bill's friends\".title() }} {{ 'hELLO'.capitalize() }} {{ 'aaa'.replace('a', 'b', 2) }}"));
    assertEquals("x, y 2 2", render("{{ ', '.join(['x', 'y']) }} {{ 'banana'.count('an') }} {{ 'banana'.find('n') }}"));
  }

  @Test
  void extendedSlicesAndPlainSlices() {
    assertEquals("[5, 4, 3, 2, 1] [2, 3, 4, 5] [1, 3, 5] [4, 5] [4, 3, 2] cba [1, 2, 3, 4]",
        render("{% set xs = [1, 2, 3, 4, 5] %}{{ xs[::-1] }} {{ xs[1:] }} {{ xs[::2] }} {{ xs[-2:] }} {{ xs[3:0:-1] }} {{ 'abc'[::-1] }} {{ xs[:-1] }}"));
    assertEquals("0assistant 1user ", render("{% for m in messages[::-1] %}{{ loop.index0 }}{{ m.role }} {% endfor %}"));
  }

  @Test
  void namespaceWithAKeywordExpressionAndAttributeSet() {
    assertEquals("2 12",
        render("{% set ns = namespace(n=[1,2,3]|length - 1, s='') %}{% for i in [1, 2] %}{% set ns.s = ns.s + i|string %}{% endfor %}{{ ns.n }} {{ ns.s }}"));
  }

  @Test
  void tojsonIsPythonsJsonDumps() {
    assertEquals("{\"name\": \"f\", \"args\": [1, 2.5, true, null], \"d\": {}}", render("{{ {'name': 'f', 'args': [1, 2.5, true, none], 'd': {}} | tojson }}"));
    assertEquals("{\n    \"name\": \"f\",\n    \"args\": [\n        1,\n        \"\u00e9\"\n    ],\n    \"e\": []\n}",
        render("{{ {'name': 'f', 'args': [1, '\u00e9'], 'e': []} | tojson(indent=4) }}"));
    assertEquals("{\"a\": 2, \"b\": 1}", render("{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}"));
    assertEquals("[{\"role\": \"user\", \"content\": \"u\"}, {\"role\": \"assistant\", \"content\": \"a\"}]", render("{{ messages | tojson }}"));
  }

  @Test
  void strftimeNowIsDefinedAndFormatsToday() {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH);
    String before = ZonedDateTime.now().format(f);
    String out = render("{% if strftime_now is defined %}{{ strftime_now('%d %b %Y') }}{% endif %}");
    String after = ZonedDateTime.now().format(f);
    assertTrue(out.equals(before) || out.equals(after), out + " is not " + before);
  }

  @Test
  void raiseExceptionBecomesAUserErrorWithTheTemplatesMessageAndLine() {
    UserError e = assertThrows(UserError.class, () -> render("ok\n{{ raise_exception('roles must alternate') }}"));
    assertTrue(e.getMessage().startsWith("test template: the chat template raised an error at line 2: roles must alternate"), e.getMessage());
  }

  @Test
  void wrongArgumentsAreTemplateErrorsNotSilentOutput() {
    UserError e = assertThrows(UserError.class, () -> render("{{ 'a'.split('') }}"));
    assertTrue(e.getMessage().contains("empty separator"), e.getMessage());
  }
}

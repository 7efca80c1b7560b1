package dev.stepwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueParserTest {
  /** Parses a value, turns it into a Typesafe value and resolves it against {@code a.b = 7}. */
  private static Object typed(String raw) {
    ParsedValue v = ValueParser.parse(raw, "k=" + raw);
    ConfigValue cv = ConfigFactory.parseString("a.b = 7\nhost = h\nk = " + v.toHocon()).resolve().root().get("k");
    return cv.unwrapped();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "5|int|5", "-3|int|-3", "+4|int|4", "1_000|int|1000", "007|string|007",
      "0.5|double|0.5", ".5|double|0.5", "1.|double|1.0", "1e-5|double|1.0E-5", "-2.5E3|double|-2500.0",
      "true|boolean|true", "False|boolean|false", "abc|string|abc", "a b|string|a b",
      "http://host:8000/v1|string|http://host:8000/v1", "/data//x|string|/data//x", "inf|string|inf",
      "`'quoted // not a comment'`|string|quoted // not a comment", "`\"1\"`|string|1", "`''`|string|``",
  })
  void scalars(String raw, String type, String expected) {
    Object v = typed(raw);
    switch (type) {
      case "int" -> assertEquals(Long.parseLong(expected), ((Number) v).longValue());
      case "double" -> {
        // Typesafe stores whole doubles (1.0, -2500.0) as integers; others stay doubles.
        assertEquals(Double.parseDouble(expected), ((Number) v).doubleValue());
        if (Double.parseDouble(expected) % 1 != 0) assertInstanceOf(Double.class, v);
      }
      case "boolean" -> assertEquals(Boolean.parseBoolean(expected), v);
      default -> assertEquals(expected == null ? "" : expected, v);
    }
    if (type.equals("int")) assertInstanceOf(Integer.class, v);
  }

  @Test
  void nullAndEmpty() {
    assertInstanceOf(ParsedValue.Null.class, ValueParser.parse("null", "k=null"));
    assertInstanceOf(ParsedValue.Null.class, ValueParser.parse("NULL", "k=NULL"));
    assertEquals(ParsedValue.Text.of(""), ValueParser.parse("", "k="));
  }

  @Test
  void escapesInQuotedStrings() {
    assertEquals("it's \"x\"\n\\", typed("'it\\'s \"x\"\\n\\\\'"));
    assertEquals("say \"hi\"", typed("\"say \\\"hi\\\"\""));
    assertEquals("${a.b}", typed("'\\${a.b}'"));
  }

  @Test
  void listsAndMapsNest() {
    assertEquals(List.of(1, 2, "a"), typed("[1,2,'a']"));
    assertEquals(List.of(), typed("[]"));
    assertEquals(List.of(List.of(1), List.of("x y")), typed("[ [1] , [x y] ]"));
    Object m = typed("{a:1,b:[2], 'c.d': {e: null}, f: http://x:1/y}");
    Map<String, Object> expected = new java.util.HashMap<>();
    expected.put("a", 1);
    expected.put("b", List.of(2));
    expected.put("c.d", new java.util.HashMap<>(java.util.Collections.singletonMap("e", null)));
    expected.put("f", "http://x:1/y");
    assertEquals(expected, m);
  }

  @Test
  void interpolationsStayTypedAndConcatenate() {
    assertEquals(7, typed("${a.b}"));
    assertEquals("http://h:8000/v1", typed("http://${host}:8000/v1"));
    assertEquals("h-7", typed("'${host}-${a.b}'"));
    assertEquals(Arrays.asList(7, "h"), typed("[${a.b}, ${host}]"));
    ParsedValue opt = ValueParser.parse("${?HOME_X}", "k=${?HOME_X}");
    assertEquals(new ParsedValue.Text(List.of(new ParsedValue.Interp("HOME_X", true))), opt);
  }

  @Test
  void syntaxErrorsNameTheOverride() {
    UserError e = assertThrows(UserError.class, () -> ValueParser.parse("[1,2", "k=[1,2"));
    assertTrue(e.getMessage().startsWith("Invalid value in override 'k=[1,2':"), e.getMessage());
    assertThrows(UserError.class, () -> ValueParser.parse("'abc", "k='abc"));
    assertThrows(UserError.class, () -> ValueParser.parse("{a 1}", "k={a 1}"));
    UserError r = assertThrows(UserError.class, () -> ValueParser.parse("${oc.env:HOME}", "k=${oc.env:HOME}"));
    assertTrue(r.getMessage().contains("use ${?NAME}"), r.getMessage());
    UserError s = assertThrows(UserError.class, () -> ValueParser.parse("1,2", "k=1,2"));
    assertTrue(s.getMessage().contains("sweep") && s.getMessage().contains("k='1,2'"), s.getMessage());
  }
}

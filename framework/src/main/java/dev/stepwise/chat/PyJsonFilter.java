package dev.stepwise.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import java.io.IOException;
import java.util.Map;
import jinjava.javax.el.ELException;

/**
 * The {@code tojson} filter as Hugging Face's chat-template environment defines it: Python's
 * {@code json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)} (transformers'
 * {@code chat_template_utils}), so tool schemas print as the model saw them in training: {@code
 * {"a": 1, "b": [1, 2]}} with Python's {@code ", "} and {@code ": "} separators, or one item per
 * line under {@code indent=N}. It replaces jinjava's own {@code tojson} (compact Jackson output).
 * Keyword arguments: {@code indent} (int), {@code sort_keys} (bool), {@code ensure_ascii} (bool,
 * escapes non-ASCII as {@code \\uXXXX}). Jackson writes the values; {@link PythonLayout} lays
 * them out.
 */
final class PyJsonFilter implements AdvancedFilter {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @Override
  public String getName() {
    return "tojson";
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    Object indent = kwargs.get("indent");
    boolean sortKeys = Boolean.TRUE.equals(kwargs.get("sort_keys"));
    boolean ascii = Boolean.TRUE.equals(kwargs.get("ensure_ascii"));
    ObjectWriter w = JSON.writer(new PythonLayout(indent instanceof Number n ? n.intValue() : -1));
    if (sortKeys) {
      w = w.with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }
    if (ascii) {
      w = w.with(JsonWriteFeature.ESCAPE_NON_ASCII);
    }
    try {
      return w.writeValueAsString(var);
    } catch (IOException e) {
      throw new ELException("TypeError: tojson cannot serialise " + var + ": " + e.getMessage(), e);
    }
  }

  /** Python's {@code json.dumps} layout: compact with spaces ({@code indent < 0}) or indented. */
  static final class PythonLayout implements PrettyPrinter {
    private final int indent;
    private int level;

    PythonLayout(int indent) {
      this.indent = indent;
    }

    private void newline(JsonGenerator g) throws IOException {
      g.writeRaw('\n');
      g.writeRaw(" ".repeat(indent * level));
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(' ');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
      g.writeRaw('{');
      level++;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
      if (indent >= 0) {
        newline(g);
      }
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(indent >= 0 ? "," : ", ");
      if (indent >= 0) {
        newline(g);
      }
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
      level--;
      if (indent >= 0 && entries > 0) {
        newline(g);
      }
      g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      g.writeRaw('[');
      level++;
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      if (indent >= 0) {
        newline(g);
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      writeObjectEntrySeparator(g);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
      level--;
      if (indent >= 0 && values > 0) {
        newline(g);
      }
      g.writeRaw(']');
    }
  }
}

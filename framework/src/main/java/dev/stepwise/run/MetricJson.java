package dev.stepwise.run;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON dialect of metric values, as Python's {@code json} module and W&amp;B's writer use it:
 * a NaN or infinite number is written as the bare tokens {@code NaN}, {@code Infinity} and {@code
 * -Infinity} (not as the strings {@code "NaN"}, Jackson's default, which make W&amp;B and pandas
 * treat a diverged loss as text), and read back as numbers. Used for {@code metrics.jsonl} lines
 * and the {@code value_json} of W&amp;B history, summary and config items. Strict JSON readers
 * ({@code jq}, JavaScript's {@code JSON.parse}) reject these tokens; Python's {@code json.loads},
 * pandas and W&amp;B accept them.
 */
public final class MetricJson {
  private MetricJson() {}

  /** Writes NaN/±Infinity as bare numbers and reads them back; otherwise Jackson's defaults. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
}

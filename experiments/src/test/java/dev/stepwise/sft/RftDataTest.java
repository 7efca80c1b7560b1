package dev.stepwise.sft;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFT's data source: the deduplicated correct responses of a sampling run. */
class RftDataTest {
  @TempDir Path tmp;
  final ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 10, 10, 7L));

  @Test
  void keepsDistinctCorrectResponsesPerProblem() throws Exception {
    Path f = tmp.resolve("samples.jsonl");
    try (JsonlAppender out = JsonlAppender.open(f)) {
      out.append(new SampleRecord("a", "Q1\n", "5", List.of("2+3=5\n#### 5", "#### 6", "2+3=5\n#### 5\n", "3+2=5\n#### 5"), List.of("5", "6", "5", "5")));
      out.append(new SampleRecord("b", "Q2\n", "7", List.of("#### 1"), List.of("1")));
      out.append(new SampleRecord("c", "Q3\n", "5", List.of("2+3=5\n#### 5"), List.of("5")));
    }
    List<String[]> ex = RftData.correctResponses(f, task);
    assertEquals(3, ex.size(), "a: two distinct correct (trailing newline is a duplicate); c: one (same text, other problem)");
    assertArrayEquals(new String[] {"Q1\n", "2+3=5\n#### 5"}, ex.get(0));
    assertArrayEquals(new String[] {"Q1\n", "3+2=5\n#### 5"}, ex.get(1));
    assertArrayEquals(new String[] {"Q3\n", "2+3=5\n#### 5"}, ex.get(2));

    CharTokenizer tok = CharTokenizer.fromTexts(List.of("Q123\n2+3=5\n#### 56"));
    SftData data = RftData.tokenize(ex, tok, 64);
    SftExample e = data.get(0);
    assertArrayEquals(tok.encode("Q1\n"), e.promptIds());
    assertEquals(tok.eosId(), e.completionIds()[e.completionIds().length - 1]);
    assertEquals(tok.encode("2+3=5\n#### 5").length + 1, e.completionIds().length);
  }

  @Test
  void noCorrectResponseIsAUserError() throws Exception {
    Path f = tmp.resolve("bad.jsonl");
    try (JsonlAppender out = JsonlAppender.open(f)) {
      out.append(new SampleRecord("a", "Q\n", "5", List.of("#### 4"), List.of("4")));
    }
    UserError e = assertThrows(UserError.class, () -> RftData.correctResponses(f, task));
    assertTrue(e.getMessage().contains("no correct response"), e.getMessage());
  }
}

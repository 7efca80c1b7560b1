package dev.stepwise.selftrain;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ROUGE-L against hand-computed values and Self-Instruct's deduplication. */
class RougeLTest {
  @Test
  void tokensAreLowerCasedAlphanumericRuns() {
    assertEquals(List.of("what", "s", "2", "2", "write", "it"), RougeL.tokens("What's 2+2? Write-it!"));
    assertEquals(List.of(), RougeL.tokens(" ?! "));
  }

  @Test
  void handComputedFMeasure() {
    // candidate "the cat sat on the mat" (6), reference "the cat is on the mat" (6):
    // LCS = the cat on the mat = 5, P = R = 5/6, F = 5/6.
    assertEquals(5 / 6.0, RougeL.fmeasure("the cat sat on the mat", "the cat is on the mat"), 1e-12);
    // candidate "a b c d" (4), reference "b d" (2): LCS 2, P = 1/2, R = 1, F = 2/3.
    assertEquals(2 / 3.0, RougeL.fmeasure("a b c d", "b d"), 1e-12);
    assertEquals(2 / 3.0, RougeL.fmeasure("b d", "a b c d"), 1e-12, "F is symmetric");
    // order matters: LCS of "a b c" and "c b a" is 1 -> F = 1/3.
    assertEquals(1 / 3.0, RougeL.fmeasure("a b c", "c b a"), 1e-12);
    assertEquals(1.0, RougeL.fmeasure("Same words.", "same WORDS"), 1e-12);
    assertEquals(0.0, RougeL.fmeasure("", "anything"));
    assertEquals(0.0, RougeL.fmeasure("x y", "z w"));
  }

  @Test
  void lcsIsTheSubsequenceNotTheSubstring() {
    assertEquals(4, RougeL.lcs(RougeL.tokens("a x b y c z d"), RougeL.tokens("a b c d")));
    assertEquals(0, RougeL.lcs(List.of(), List.of("a")));
  }

  @Test
  void dedupDropsPromptsAtOrAboveTheThresholdAgainstSeedsAndEarlierKeptOnes() {
    PromptDedup d = new PromptDedup(0.7, List.of("Write a poem about the sea."));
    List<String> kept = d.filter(List.of(
        "Write a poem about the sea!", // identical tokens: F = 1, dropped
        "Write a short poem about the blue sea.", // LCS 6 of 6 and 8: F = 2*1*0.75/1.75 = 0.857, dropped
        "List three prime numbers below twenty.", // new
        "List three prime numbers below thirty.", // 5 of 6 with the previous kept one: F = 0.833, dropped
        "Explain how a bicycle gear works.", // new
        "?!")); // no token: dropped
    assertEquals(List.of("List three prime numbers below twenty.", "Explain how a bicycle gear works."), kept);
  }

  @Test
  void aLooserThresholdKeepsMore() {
    PromptDedup strict = new PromptDedup(0.5, List.of("a b c d"));
    PromptDedup loose = new PromptDedup(0.9, List.of("a b c d"));
    // F("a b c e", "a b c d") = 0.75: a duplicate at 0.5, not at 0.9.
    assertFalse(strict.offer("a b c e"));
    assertTrue(loose.offer("a b c e"));
    assertThrows(IllegalArgumentException.class, () -> new PromptDedup(0, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new PromptDedup(1.5, List.of()));
  }
}

package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.reward.data.LabelledResponse;
import dev.stepwise.reward.data.RewardBatch;
import dev.stepwise.reward.data.RewardData;
import dev.stepwise.reward.data.RewardExample;
import dev.stepwise.reward.data.SegmentTokenizer;
import dev.stepwise.reward.data.StepBoundaries;
import dev.stepwise.task.Steps;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only the last token of each labelled step carries a label; everything else is masked. */
class LabelPositionsTest {
  private final CharTokenizer tok = CharTokenizer.ascii();
  private static final String PROMPT = "Q: 2+3+4?\nA:\n";
  private static final String RESP = "2+3=5\n5+4=9\n#### 9\n";

  @Test
  void stepEndsAreTheLastNonBlankCharacterOfEachStep() {
    List<Integer> ends = StepBoundaries.ends(RESP, Steps.split(RESP));
    assertEquals(List.of(5, 11, 18), ends);
    assertEquals(18, StepBoundaries.trimmedEnd(RESP));
    assertEquals(5, StepBoundaries.trimmedEnd("2+3=5\n"));
  }

  @Test
  void labelsSitOnStepEndTokensOnlyAndIdsEqualTheWholeText() {
    LabelledResponse r = new LabelledResponse("q1", PROMPT, RESP, List.of(5, 11, 18), List.of(1f, 0.5f, 0f));
    RewardExample e = SegmentTokenizer.tokenize(r, tok, 1000);
    int p = PROMPT.length();
    assertArrayEquals(new int[] {p + 4, p + 10, p + 17}, e.positions());
    assertArrayEquals(tok.encode(PROMPT + RESP.substring(0, 18)), e.ids(), "char ids = ids of the text up to the last step");
    assertEquals('5', PROMPT.concat(RESP).charAt(e.positions()[0]));
    assertEquals('9', PROMPT.concat(RESP).charAt(e.positions()[2]));
    assertFalse(e.truncated());
    try (NDManager m = NDManager.newBaseManager()) {
      RewardExample other = SegmentTokenizer.tokenize(new LabelledResponse("q2", PROMPT, "1+1=2\n", List.of(5), List.of(1f)), tok, 1000);
      RewardData data = new RewardData(List.of(e, other), tok.padId(), 3);
      RewardBatch b = data.collate(new int[] {0, 1}, m);
      float[] mask = b.labelMask().toFloatArray();
      float[] tg = b.targets().toFloatArray();
      long[] cls = b.classes().toLongArray();
      long[] attn = b.attentionMask().toLongArray();
      int t = e.ids().length;
      assertEquals(2 * t, mask.length);
      int labelled = 0;
      for (int i = 0; i < mask.length; i++) {
        labelled += mask[i] == 1f ? 1 : 0;
      }
      assertEquals(4, labelled, "3 steps + 1 step carry labels, nothing else");
      assertEquals(1f, mask[p + 4]);
      assertEquals(1f, tg[p + 4]);
      assertEquals(0.5f, tg[p + 10]);
      assertEquals(1L, cls[p + 10], "0.5 of k=2 rollouts is class 1");
      assertEquals(2L, cls[p + 4]);
      assertEquals(1f, mask[t + p + 4]);
      assertEquals(0L, attn[t + p + 5], "the shorter row is padded");
      assertEquals(1L, attn[t + p + 4]);
    }
  }

  @Test
  void aLongSequenceLosesItsStartAndTheLabelsInIt() {
    LabelledResponse r = new LabelledResponse("q1", PROMPT, RESP, List.of(5, 11, 18), List.of(1f, 0.5f, 0f));
    int full = PROMPT.length() + 18;
    RewardExample e = SegmentTokenizer.tokenize(r, tok, full - PROMPT.length() - 6); // 12 tokens kept
    assertTrue(e.truncated());
    assertEquals(12, e.ids().length);
    assertArrayEquals(new int[] {4, 11}, e.positions(), "step 1 was cut; steps 2 and 3 shift left");
    assertArrayEquals(new float[] {0.5f, 0f}, e.targets());
    assertArrayEquals(tok.encode(RESP.substring(6, 18)), e.ids());
  }

  @Test
  void unorderedOrOutOfRangeStepEndsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LabelledResponse("q", "p", "abc", List.of(2, 2), List.of(1f, 1f)));
    assertThrows(IllegalArgumentException.class, () -> new LabelledResponse("q", "p", "abc", List.of(4), List.of(1f)));
    assertThrows(IllegalArgumentException.class, () -> new LabelledResponse("q", "p", "abc", List.of(2), List.of()));
  }
}

package dev.stepwise.generate;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.api.server.ReferenceLogprobs;
import dev.stepwise.api.server.TinyServing;
import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PromptScorer} on a real tiny GPT-2: prompts of different lengths batched with right
 * padding, split into several forwards and several LM-head chunks, give the log-probabilities of
 * the KV-cache decoding path ({@link ReferenceLogprobs}) to 1e-5 and the model's most likely
 * alternatives in order; bad prompts are {@link UserError}s.
 */
class PromptScorerTest {
  @Test
  void batchedPaddedAndChunkedScoresEqualTheDecodingPath() {
    try (TinyServing tiny = new TinyServing(21)) {
      Random r = new Random(3);
      List<int[]> prompts = new ArrayList<>();
      for (int len : new int[] {1, 7, 2, 256, 13, 40}) {
        int[] p = new int[len];
        for (int t = 0; t < len; t++) {
          p[t] = r.nextInt(tiny.model.config().vocabSize());
        }
        prompts.add(p);
      }
      // default sizes: one forward; small sizes: several forwards and head chunks of 5 positions
      for (PromptScorer scorer : List.of(new PromptScorer(tiny.model), new PromptScorer(tiny.model, 5, 300))) {
        List<PromptLogprobs> out = scorer.score(prompts, 4);
        assertEquals(prompts.size(), out.size());
        for (int i = 0; i < prompts.size(); i++) {
          int[] p = prompts.get(i);
          ReferenceLogprobs ref = new ReferenceLogprobs(tiny.model, p);
          PromptLogprobs s = out.get(i);
          assertArrayEquals(p, s.tokenIds());
          assertTrue(Float.isNaN(s.logprobs()[0]));
          assertNull(s.topIds()[0]);
          for (int t = 1; t < p.length; t++) {
            assertEquals(ref.logprobs[t], s.logprobs()[t], 1e-5, "prompt " + i + " position " + t);
            assertArrayEquals(ref.top(t, 4), s.topIds()[t], "prompt " + i + " position " + t);
            for (int k = 0; k < 4; k++) {
              assertEquals(ref.rows[t][s.topIds()[t][k]], s.topLogprobs()[t][k], 1e-5);
            }
          }
        }
      }
    }
  }

  @Test
  void badPromptsAreUserErrors() {
    try (TinyServing tiny = new TinyServing(21)) {
      PromptScorer s = new PromptScorer(tiny.model);
      int v = tiny.model.config().vocabSize();
      assertThrows(UserError.class, () -> s.score(List.of(new int[0]), 0));
      assertThrows(UserError.class, () -> s.score(List.of(new int[] {1, v}), 0));
      assertThrows(UserError.class, () -> s.score(List.of(new int[] {-1}), 0));
      assertThrows(UserError.class, () -> s.score(List.of(new int[257]), 0));
      assertThrows(UserError.class, () -> s.score(List.of(new int[] {1, 2}), v + 1));
      assertEquals(0, s.score(List.of(new int[] {1, 2}), 0).get(0).topIds()[1].length);
    }
  }
}

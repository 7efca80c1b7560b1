package dev.stepwise.generate;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.config.UserError;
import dev.stepwise.model.AlphabetTokenizer;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation on a real tiny random GPT-2 with a real character tokenizer. */
class SamplerTest {
  static final AlphabetTokenizer TOK = new AlphabetTokenizer();
  static final ModelConfig CFG =
      new ModelConfig("gpt2", TOK.vocabSize(), 32, 2, 4, 40, 0, 1e-5, 0.02);
  static NDManager base;
  static CausalLM model;

  @BeforeAll
  static void setUp() {
    base = NDManager.newBaseManager();
    model = new Gpt2Family().create(CFG, base, 5);
    // sharpen the random model so that greedy choices are well separated
    for (NDArray p : model.parameters().values()) {
      if (p.getShape().dimension() == 2) {
        p.set(p.mul(6f).toByteBuffer());
      }
    }
  }

  @AfterAll
  static void tearDown() {
    model.close();
    base.close();
  }

  static SamplingParams params() {
    return SamplingParams.defaults().withMaxTokens(12).withIgnoreEos(true).withSeed(7L);
  }

  /** Greedy continuation by full recomputation, the reference for the cached path. */
  static int[] greedyByRecomputation(int[] prompt, int steps) {
    List<Long> seq = new ArrayList<>();
    for (int id : prompt) {
      seq.add((long) id);
    }
    int[] out = new int[steps];
    try (NDManager m = base.newSubManager()) {
      for (int s = 0; s < steps; s++) {
        long[] a = seq.stream().mapToLong(Long::longValue).toArray();
        float[] logits = model.logits(model.hiddenStates(m.create(a, new Shape(1, a.length)), null)).toFloatArray();
        int v = CFG.vocabSize();
        int best = 0;
        for (int i = 1; i < v; i++) {
          if (logits[(a.length - 1) * v + i] > logits[(a.length - 1) * v + best]) {
            best = i;
          }
        }
        out[s] = best;
        seq.add((long) best);
      }
    }
    return out;
  }

  @Test
  void greedyMatchesRecomputationAndIsBatchInvariant() {
    List<String> prompts = List.of("hello world", "ab", "the quick brown fox");
    SamplingParams greedy = params().withTemperature(0);
    List<List<Completion>> batched = new Sampler(model, TOK).generate(prompts, greedy);
    for (int i = 0; i < prompts.size(); i++) {
      int[] expected = greedyByRecomputation(TOK.encode(prompts.get(i)), 12);
      Completion c = batched.get(i).get(0);
      assertArrayEquals(expected, c.tokenIds(), "prompt " + i);
      assertEquals(Completion.LENGTH, c.finishReason());
      assertEquals(TOK.decode(expected), c.text());
      List<Completion> alone = new Sampler(model, TOK).generate(List.of(prompts.get(i)), greedy).get(0);
      assertArrayEquals(c.tokenIds(), alone.get(0).tokenIds());
    }
  }

  /** Ten prompts x 4 heads: the decode steps take the batched-matmul attention path (B·H >= 32). */
  @Test
  void greedyMatchesRecomputationInALargeBatch() {
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      prompts.add("prompt number " + "abcdefghij".substring(0, i + 1));
    }
    List<List<Completion>> out = new Sampler(model, TOK).generate(prompts, params().withTemperature(0));
    for (int i = 0; i < prompts.size(); i++) {
      assertArrayEquals(greedyByRecomputation(TOK.encode(prompts.get(i)), 12), out.get(i).get(0).tokenIds(), "prompt " + i);
    }
  }

  @Test
  void seedsMakeSamplingReproducibleAndChunkingDoesNotMatter() {
    List<String> prompts = List.of("abc", "hello there", "x");
    SamplingParams p = params().withN(3);
    List<List<Completion>> a = new Sampler(model, TOK).generate(prompts, p);
    List<List<Completion>> b = new Sampler(model, TOK, 2).generate(prompts, p);
    List<List<Completion>> c = new Sampler(model, TOK).generate(prompts, p.withSeed(8L));
    int differ = 0;
    for (int i = 0; i < prompts.size(); i++) {
      assertEquals(3, a.get(i).size());
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(a.get(i).get(j).tokenIds(), b.get(i).get(j).tokenIds(), "prompt " + i + " sample " + j);
        assertEquals(a.get(i).get(j).cumulativeLogprob(), b.get(i).get(j).cumulativeLogprob(), 1e-4);
        differ += Arrays.equals(a.get(i).get(j).tokenIds(), c.get(i).get(j).tokenIds()) ? 0 : 1;
      }
      // the n samples of a prompt are different draws
      assertFalse(Arrays.equals(a.get(i).get(0).tokenIds(), a.get(i).get(1).tokenIds()));
    }
    assertTrue(differ >= 8, "another seed must give other samples, only " + differ + " of 9 differ");
  }

  @Test
  void topKOneAndTinyTopPAreGreedy() {
    List<String> prompts = List.of("some prompt", "other");
    List<List<Completion>> greedy = new Sampler(model, TOK).generate(prompts, params().withTemperature(0));
    List<List<Completion>> topK = new Sampler(model, TOK).generate(prompts, params().withTopK(1).withTemperature(1.3));
    List<List<Completion>> topP = new Sampler(model, TOK).generate(prompts, params().withTopP(1e-6));
    for (int i = 0; i < prompts.size(); i++) {
      assertArrayEquals(greedy.get(i).get(0).tokenIds(), topK.get(i).get(0).tokenIds());
      assertArrayEquals(greedy.get(i).get(0).tokenIds(), topP.get(i).get(0).tokenIds());
    }
  }

  @Test
  void topKRestrictsTheSupport() {
    // with top_k = 3 every sampled token must be among the 3 most likely at its step
    String prompt = "restrict";
    Completion c = new Sampler(model, TOK).generate(List.of(prompt), params().withTopK(3).withTemperature(2.0)).get(0).get(0);
    List<Long> seq = new ArrayList<>();
    for (int id : TOK.encode(prompt)) {
      seq.add((long) id);
    }
    try (NDManager m = base.newSubManager()) {
      for (int id : c.tokenIds()) {
        long[] a = seq.stream().mapToLong(Long::longValue).toArray();
        float[] l = model.logits(model.hiddenStates(m.create(a, new Shape(1, a.length)), null)).toFloatArray();
        int v = CFG.vocabSize();
        float mine = l[(a.length - 1) * v + id];
        int higher = 0;
        for (int k = 0; k < v; k++) {
          higher += l[(a.length - 1) * v + k] > mine ? 1 : 0;
        }
        assertTrue(higher < 3, "token " + id + " has rank " + higher);
        seq.add((long) id);
      }
    }
  }

  @Test
  void logprobsAreRawLogSoftmaxOfTheChosenTokens() {
    String prompt = "logp";
    Completion c = new Sampler(model, TOK).generate(List.of(prompt), params().withMaxTokens(4).withTemperature(0.7)).get(0).get(0);
    List<Long> seq = new ArrayList<>();
    for (int id : TOK.encode(prompt)) {
      seq.add((long) id);
    }
    double sum = 0;
    try (NDManager m = base.newSubManager()) {
      for (int t = 0; t < c.tokenIds().length; t++) {
        long[] a = seq.stream().mapToLong(Long::longValue).toArray();
        NDArray lsm = model.logits(model.hiddenStates(m.create(a, new Shape(1, a.length)), null)).logSoftmax(-1);
        float[] l = lsm.toFloatArray();
        float expected = l[(a.length - 1) * CFG.vocabSize() + c.tokenIds()[t]];
        assertEquals(expected, c.tokenLogprobs()[t], 1e-4);
        sum += expected;
        seq.add((long) c.tokenIds()[t]);
      }
    }
    assertEquals(sum, c.cumulativeLogprob(), 1e-3);
  }

  @Test
  void stopStringsCutTheTextAndEndGeneration() {
    String prompt = "stop here";
    SamplingParams greedy = params().withTemperature(0).withMaxTokens(20);
    Completion full = new Sampler(model, TOK).generate(List.of(prompt), greedy).get(0).get(0);
    String text = full.text();
    assertTrue(text.length() >= 8, text);
    String stop = text.substring(5, 7);
    int at = text.indexOf(stop);
    Completion cut = new Sampler(model, TOK).generate(List.of(prompt), greedy.withStop(List.of(stop, "#never#"))).get(0).get(0);
    assertEquals(text.substring(0, at), cut.text());
    assertEquals(Completion.STOP, cut.finishReason());
    assertEquals(at + stop.length(), cut.tokenIds().length, "tokens up to and including the stop string");
    assertArrayEquals(Arrays.copyOf(full.tokenIds(), at + stop.length()), cut.tokenIds());
  }

  @Test
  void eosEndsACompletionAndFinishedRowsAreDropped() {
    // make a token that greedy decoding of prompt 0 produces at step k >= 1 (and not before) the
    // EOS id: that row stops at step k while others go on, which exercises dropping finished rows
    List<String> prompts = List.of("first prompt", "b", "third one", "d", "e");
    SamplingParams greedy = params().withTemperature(0).withIgnoreEos(false).withMaxTokens(10);
    int[] ref = new Sampler(model, TOK).generate(prompts, greedy).get(0).get(0).tokenIds();
    int k = 1;
    while (k < ref.length && contains(Arrays.copyOf(ref, k), ref[k])) {
      k++;
    }
    assertTrue(k < ref.length, "greedy output of prompt 0 has a single token: " + Arrays.toString(ref));
    int eos = ref[k];
    AlphabetTokenizer tok = new AlphabetTokenizer(eos);
    List<List<Completion>> out = new Sampler(model, tok).generate(prompts, greedy);
    Completion c0 = out.get(0).get(0);
    assertEquals(Completion.STOP, c0.finishReason());
    assertArrayEquals(Arrays.copyOf(ref, k + 1), c0.tokenIds(), "EOS is included in the token ids");
    assertEquals(tok.decode(Arrays.copyOf(ref, k)), c0.text());
    int stopped = 0;
    for (int i = 1; i < prompts.size(); i++) {
      int[] expected = greedyByRecomputation(TOK.encode(prompts.get(i)), 10);
      int eosAt = -1;
      for (int j = 0; j < expected.length && eosAt < 0; j++) {
        eosAt = expected[j] == eos ? j : -1;
      }
      int[] want = eosAt < 0 ? expected : Arrays.copyOf(expected, eosAt + 1);
      stopped += eosAt < 0 ? 0 : 1;
      assertArrayEquals(want, out.get(i).get(0).tokenIds(), "prompt " + i);
    }
  }

  static boolean contains(int[] a, int v) {
    return Arrays.stream(a).anyMatch(x -> x == v);
  }

  @Test
  void rowsStoppedByTheContextAreDroppedWithoutChangingTheOthers() {
    String ctx = "abcdefghijklmnopqrstuvwxyz0123456789ab"; // 38 of 40 positions
    List<String> prompts = List.of(ctx, ctx.substring(1), ctx.substring(2), "ab", "cd");
    SamplingParams greedy = params().withTemperature(0).withMaxTokens(8);
    List<List<Completion>> out = new Sampler(model, TOK).generate(prompts, greedy);
    int[] lengths = {2, 3, 4, 8, 8};
    for (int i = 0; i < prompts.size(); i++) {
      Completion c = out.get(i).get(0);
      assertEquals(lengths[i], c.tokenIds().length, "prompt " + i);
      assertEquals(Completion.LENGTH, c.finishReason());
      assertArrayEquals(greedyByRecomputation(TOK.encode(prompts.get(i)), lengths[i]), c.tokenIds(), "prompt " + i);
    }
  }

  @Test
  void contextLengthEndsWithLength() {
    String prompt = "abcdefghijklmnopqrstuvwxyz0123456789"; // 36 of 40 positions
    Completion c = new Sampler(model, TOK).generate(List.of(prompt, "a"), params().withMaxTokens(10)).get(0).get(0);
    assertEquals(4, c.tokenIds().length);
    assertEquals(Completion.LENGTH, c.finishReason());
    String tooLong = prompt + "abcde";
    UserError e = assertThrows(UserError.class, () -> new Sampler(model, TOK).generate(List.of(tooLong), params()));
    assertTrue(e.getMessage().contains("n_positions=40"), e.getMessage());
  }

  @Test
  void badParametersAreUserErrors() {
    assertThrows(UserError.class, () -> params().withN(0));
    assertThrows(UserError.class, () -> params().withTopP(0));
    assertThrows(UserError.class, () -> params().withTemperature(-1));
    assertThrows(UserError.class, () -> params().withMaxTokens(0));
    assertThrows(UserError.class, () -> new Sampler(model, TOK, 0));
  }
}

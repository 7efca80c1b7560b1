package dev.stepwise.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.HfTokenizer;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.TokenChoice;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pretrained stories260K (llama2.c's TinyStories model as a Hugging Face directory in
 * the shared data): the tokenizer puts bos before a prompt, greedy generation through the Java
 * decoder equals the independent NumPy reference token for token, and the text reads as English.
 */
class RealModelTest {
  private static Path model;

  @TempDir Path tmp;

  @BeforeAll
  static void findModel() {
    model = dev.stepwise.model.SharedModels.stories260k();
  }

  @Test
  void greedyStoryEqualsTheReference() throws Exception {
    Tokenizer tok = Tokenizers.load(model);
    int[] prompt = tok.encodePrompt("Once upon a time");
    assertEquals(1, prompt[0], "bos first (the tokenizer's post-processor)");
    int[] templated = tok.encodePrompt("<s>Once upon a time"); // as a chat template writes bos_token
    assertTrue(templated[0] == 1 && templated[1] != 1, "one bos when the text starts with it: " + Arrays.toString(templated));
    int steps = 60;
    long[] java;
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM lm = ModelCheckpoint.load(model, m);
      try (KvCache cache = lm.newCache(m, 1, prompt.length + steps)) {
        NDArray last = lm.decodeLast(m.create(new long[][] {Arrays.stream(prompt).asLongStream().toArray()}), null, cache);
        DecodedBlock b = lm.sampleAndDecode(last, cache, new TokenChoice(true, 1, 0, 1), new float[steps], steps, m);
        java = b.ids();
      }
    }
    Path ids = tmp.resolve("ids.json");
    Files.writeString(ids, "{\"ids\": [" + Arrays.toString(prompt) + "]}");
    String out = PythonReference.run("generate", "--dir", model.toString(), "--ids", ids.toString(), "--max-new", String.valueOf(steps));
    String expected = Arrays.toString(java).replace(" ", "");
    assertTrue(out.replace(" ", "").contains(expected), "reference " + out + " vs Java " + expected);
    int[] completion = Arrays.stream(java).mapToInt(Math::toIntExact).toArray();
    String text = tok.decodeContinuation(completion);
    assertTrue(text.contains(" the ") || text.contains(" a "), "English text: " + text);
    int[] whole = IntStream.concat(Arrays.stream(prompt), Arrays.stream(completion)).toArray();
    assertEquals(tok.decode(whole), tok.decode(prompt) + text, "prompt text + continuation = the whole text (no lost space)");
    assertTrue(text.startsWith(" ") || text.startsWith(","), "the continuation keeps its leading space: '" + text + "'");
  }

  @Test
  void samplingStopsAtTheContextLength() throws Exception {
    Tokenizer tok = Tokenizers.load(model);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM lm = ModelCheckpoint.load(model, m);
      int ctx = lm.config().nPositions();
      String longPrompt = "Once upon a time there was a cat. ".repeat(48);
      int promptLen = tok.encodePrompt(longPrompt).length;
      assertTrue(promptLen > ctx - 100 && promptLen < ctx, "prompt of " + promptLen + " tokens near the context " + ctx);
      dev.stepwise.generate.Sampler sampler = new dev.stepwise.generate.Sampler(lm, tok, 8);
      var p = dev.stepwise.generate.SamplingParams.defaults().withMaxTokens(256).withTemperature(1.0).withIgnoreEos(true).withSeed(3L);
      var out = sampler.generate(java.util.List.of(longPrompt, "Lily"), p);
      assertEquals(ctx - promptLen, out.get(0).get(0).tokenIds().length, "the long prompt's completion fills the context");
      assertEquals(256, out.get(1).get(0).tokenIds().length, "the short prompt's completion is unaffected");
    }
  }

  @Test
  void everyEosOfGenerationConfigStops() throws Exception {
    for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
      Files.copy(model.resolve(f), tmp.resolve(f));
    }
    Files.writeString(tmp.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": [2, 13]}");
    HfTokenizer tok = HfTokenizer.load(tmp);
    assertTrue(tok.isStop(2) && tok.isStop(13) && !tok.isStop(1) && !tok.isStop(14));
  }
}

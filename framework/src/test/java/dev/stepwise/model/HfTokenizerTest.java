package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Qwen3 tokenizer from the shared data directory, run through DJL offline. */
class HfTokenizerTest {
  private static Path data;
  private static Path qwen;
  private static HfTokenizer tok;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws Exception {
    data = Path.of(System.getenv().getOrDefault("STEPWISE_DATA", "../shared/data"));
    qwen = data.resolve("tokenizers/qwen3");
    assumeTrue(
        Files.isRegularFile(qwen.resolve("tokenizer.json")),
        "shared data not found at " + qwen + " (set STEPWISE_DATA); skipping");
    tok = HfTokenizer.load(qwen);
  }

  @AfterAll
  static void close() {
    if (tok != null) {
      tok.close();
    }
  }

  @Test
  void specialIdsAndVocabSizeComeFromTheFiles() throws Exception {
    JsonNode config = new ObjectMapper().readTree(qwen.resolve("tokenizer_config.json").toFile());
    JsonNode added = config.get("added_tokens_decoder");
    // eos_token = <|im_end|>, pad_token = <|endoftext|> in Qwen3's tokenizer_config.json
    assertEquals(config.get("eos_token").asText(), added.get(String.valueOf(tok.eosId())).get("content").asText());
    assertEquals(config.get("pad_token").asText(), added.get(String.valueOf(tok.padId())).get("content").asText());
    int maxAdded = 0;
    for (var it = added.fieldNames(); it.hasNext(); ) {
      maxAdded = Math.max(maxAdded, Integer.parseInt(it.next()));
    }
    assertEquals(maxAdded + 1, tok.vocabSize());
    assertTrue(tok.vocabSize() >= 151_643 && tok.vocabSize() < 151_643 + 100, "" + tok.vocabSize());
    assertEquals("hf", tok.kind());
  }

  @Test
  void roundTripsTheFirst200Gsm8kTestProblemsExactly() throws Exception {
    Path test = data.resolve("gsm8k/test.jsonl");
    assumeTrue(Files.isRegularFile(test), "GSM8K not found at " + test);
    ObjectMapper m = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(test)) {
      String line;
      while (texts.size() < 400 && (line = r.readLine()) != null) {
        JsonNode n = m.readTree(line);
        texts.add(n.get("question").asText());
        texts.add(n.get("answer").asText());
      }
    }
    assertEquals(400, texts.size());
    long tokens = 0;
    for (String text : texts) {
      int[] ids = tok.encode(text);
      assertTrue(ids.length > 0 && ids.length < text.length(), "BPE should compress: " + text);
      for (int id : ids) {
        assertTrue(id >= 0 && id < tok.vocabSize());
        assertTrue(id != tok.eosId() && id != tok.padId(), "no special tokens added");
      }
      assertEquals(text, tok.decode(ids));
      tokens += ids.length;
    }
    assertTrue(tokens > 10_000, "tokens " + tokens);
  }

  @Test
  void longTextIsNotTruncatedAndEosIsDroppedOnDecode() {
    String text = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n".repeat(400);
    int[] ids = tok.encode(text);
    assertTrue(ids.length > 4000, "ids " + ids.length);
    int[] withEos = java.util.Arrays.copyOf(ids, ids.length + 2);
    withEos[ids.length] = tok.eosId();
    withEos[ids.length + 1] = tok.padId();
    assertEquals(text, tok.decode(withEos));
  }

  @Test
  void saveAndLoadRestoreTheSameTokenizer() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    tok.save(ckpt);
    assertEquals(Files.size(qwen.resolve("tokenizer.json")), Files.size(ckpt.resolve("tokenizer.json")));
    assertEquals(
        Files.readString(qwen.resolve("tokenizer_config.json")),
        Files.readString(ckpt.resolve("tokenizer_config.json")));
    try (HfTokenizer back = assertInstanceOf(HfTokenizer.class, Tokenizers.load(ckpt))) {
      String s = "Janet’s ducks lay 16 eggs per day.";
      assertArrayEquals(tok.encode(s), back.encode(s));
      assertEquals(tok.eosId(), back.eosId());
      assertEquals(tok.padId(), back.padId());
      assertEquals(tok.vocabSize(), back.vocabSize());
    }
  }

  @Test
  void explicitEosOverridesConfigAndSurvivesSave() throws Exception {
    try (HfTokenizer base = HfTokenizer.load(qwen, "<|endoftext|>")) {
      assertEquals(tok.padId(), base.eosId());
      Path ckpt = dir.resolve("base");
      base.save(ckpt);
      try (HfTokenizer back = HfTokenizer.load(ckpt)) {
        assertEquals(base.eosId(), back.eosId());
        assertEquals(base.padId(), back.padId());
      }
    }
    UserError e =
        assertThrows(UserError.class, () -> HfTokenizer.load(qwen, "<|no_such_token|>"));
    assertTrue(e.getMessage().contains("<|no_such_token|>"), e.getMessage());
  }

  @Test
  void withoutConfigEosMustBeGivenAndPadDefaultsToEos() throws Exception {
    Path bare = dir.resolve("bare");
    Files.createDirectories(bare);
    Files.copy(qwen.resolve("tokenizer.json"), bare.resolve("tokenizer.json"));
    UserError e = assertThrows(UserError.class, () -> HfTokenizer.load(bare));
    assertTrue(e.getMessage().contains("eos_token"), e.getMessage());
    try (HfTokenizer t = HfTokenizer.load(bare, "<|endoftext|>")) {
      assertEquals(t.eosId(), t.padId());
      assertEquals(tok.vocabSize(), t.vocabSize());
    }
  }
}

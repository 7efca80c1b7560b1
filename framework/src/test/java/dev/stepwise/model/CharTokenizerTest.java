package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTokenizerTest {
  @TempDir Path dir;

  private static final List<String> CORPUS =
      List.of(
          "Tom has 3 apples and buys 5 more, so he has 3+5=<<3+5=8>>8 apples.\n#### 8",
          "Janet’s ducks lay 16 eggs per day. 😀");

  @Test
  void vocabIsSpecialsThenSortedUniqueCharacters() {
    CharTokenizer tok = CharTokenizer.fromTexts(List.of("cab", "bca\n"));
    assertEquals(List.of("<pad>", "<eos>", "<unk>", "\n", "a", "b", "c"), tok.vocab());
    assertEquals(7, tok.vocabSize());
    assertArrayEquals(new int[] {6, 4, 5, 3}, tok.encode("cab\n"));
    assertEquals(0, tok.padId());
    assertEquals(1, tok.eosId());
  }

  @Test
  void roundTripsCorpusTextIncludingSupplementaryCharacters() {
    CharTokenizer tok = CharTokenizer.fromTexts(CORPUS);
    for (String text : CORPUS) {
      int[] ids = tok.encode(text);
      assertEquals(text.codePointCount(0, text.length()), ids.length);
      for (int id : ids) {
        assertTrue(id >= 3 && id < tok.vocabSize(), "id " + id);
      }
      assertEquals(text, tok.decode(ids));
    }
  }

  @Test
  void decodeDropsPadAndEos() {
    CharTokenizer tok = CharTokenizer.ascii();
    int[] ids = tok.encode("#### 42");
    int[] padded = new int[ids.length + 3];
    System.arraycopy(ids, 0, padded, 0, ids.length);
    padded[ids.length] = tok.eosId();
    assertEquals("#### 42", tok.decode(padded));
    assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {tok.vocabSize()}));
    assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
  }

  @Test
  void unknownCharactersMapToUnkAndDecodeToReplacementChar() {
    CharTokenizer tok = CharTokenizer.ascii();
    assertEquals(3 + 1 + 95, tok.vocabSize()); // specials, newline, printable ASCII
    int[] ids = tok.encode("a’b😀");
    assertArrayEquals(
        new int[] {tok.encode("a")[0], CharTokenizer.UNK_ID, tok.encode("b")[0], CharTokenizer.UNK_ID},
        ids);
    assertEquals("a\uFFFDb\uFFFD", tok.decode(ids));
  }

  @Test
  void fixedAlphabetKeepsGivenOrderAndRejectsDuplicates() {
    CharTokenizer tok = CharTokenizer.fromAlphabet("ba");
    assertArrayEquals(new int[] {4, 3}, tok.encode("ab"));
    assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fromAlphabet("abca"));
  }

  @Test
  void saveThenLoadGivesAnEqualTokenizer() throws Exception {
    CharTokenizer tok = CharTokenizer.fromTexts(CORPUS);
    Path ckpt = dir.resolve("ckpt");
    tok.save(ckpt);
    assertTrue(Files.readString(ckpt.resolve("tokenizer.json")).contains("\"stepwise-char\""));
    Tokenizer loaded = Tokenizers.load(ckpt);
    CharTokenizer back = assertInstanceOf(CharTokenizer.class, loaded);
    assertEquals(tok, back);
    assertEquals(tok.vocab(), back.vocab());
    assertEquals("char", back.kind());
    for (String text : CORPUS) {
      assertArrayEquals(tok.encode(text), back.encode(text));
    }
    assertNotEquals(CharTokenizer.ascii(), back);
  }

  @Test
  void loadRejectsBrokenFilesWithUserErrors() throws Exception {
    Path missing = dir.resolve("empty");
    Files.createDirectories(missing);
    UserError e = assertThrows(UserError.class, () -> Tokenizers.load(missing));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());

    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("tokenizer.json"), "{\"type\":\"stepwise-char\",\"vocab\":[\"<pad>\",\"<eos>\",\"<unk>\",\"ab\"]}");
    UserError multi = assertThrows(UserError.class, () -> Tokenizers.load(bad));
    assertTrue(multi.getMessage().contains("vocab[3]"), multi.getMessage());

    Files.writeString(bad.resolve("tokenizer.json"), "{\"type\":\"sentencepiece\"}");
    UserError unknown = assertThrows(UserError.class, () -> Tokenizers.load(bad));
    assertTrue(unknown.getMessage().contains("unknown tokenizer type 'sentencepiece'"), unknown.getMessage());
  }
}

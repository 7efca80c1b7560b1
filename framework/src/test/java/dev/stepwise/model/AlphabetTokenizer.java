package dev.stepwise.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real, minimal character tokenizer for model and generation tests: id 0 is EOS (and padding), id i &gt; 0
 * is the (i−1)-th character of the alphabet. The eos id can be overridden to make a chosen token
 * end generation.
 */
public final class AlphabetTokenizer implements Tokenizer {
  public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz .,!?0123456789";
  private final int eos;

  public AlphabetTokenizer() {
    this(0);
  }

  public AlphabetTokenizer(int eos) {
    this.eos = eos;
  }

  @Override
  public int[] encode(String text) {
    int[] ids = new int[text.length()];
    for (int i = 0; i < ids.length; i++) {
      int k = ALPHABET.indexOf(text.charAt(i));
      if (k < 0) {
        throw new IllegalArgumentException("character not in alphabet: " + text.charAt(i));
      }
      ids[i] = k + 1;
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder b = new StringBuilder();
    for (int id : ids) {
      if (id != 0 && id != eos) {
        b.append(ALPHABET.charAt(id - 1));
      }
    }
    return b.toString();
  }

  @Override
  public int vocabSize() {
    return ALPHABET.length() + 1;
  }

  @Override
  public int eosId() {
    return eos;
  }

  @Override
  public int padId() {
    return 0;
  }

  @Override
  public String kind() {
    return "alphabet-test";
  }

  @Override
  public void save(Path dir) throws java.io.IOException {
    Files.writeString(dir.resolve("alphabet.txt"), ALPHABET + "\n" + eos + "\n");
  }
}

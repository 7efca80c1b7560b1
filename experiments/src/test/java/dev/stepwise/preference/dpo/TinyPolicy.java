package dev.stepwise.preference.dpo;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.preference.data.PreferencePair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixtures: hand-made addition pairs (chosen = the right sum, rejected = a wrong one, of
 * various lengths), a character tokenizer over them and a random tiny GPT-2 saved as a
 * checkpoint, so a policy and its reference load the same initial weights.
 */
final class TinyPolicy {
  private TinyPolicy() {}

  /** @return {@code n} pairs {@code "a+b=" -> " c" vs " c'"}, ids {@code p<i/2>} (two per problem) */
  static List<PreferencePair> additionPairs(int n) {
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = 3 + (i * 7) % 40;
      int b = 1 + (i * 5) % 9;
      String wrong = i % 2 == 0 ? Integer.toString(a + b + 1 + i % 5) : "no idea";
      out.add(new PreferencePair("p" + i / 2, a + "+" + b + "=", " " + (a + b) + " ok", " " + wrong, true, 1.0, 0.0));
    }
    return out;
  }

  static CharTokenizer tokenizer(List<PreferencePair> pairs) {
    List<String> texts = new ArrayList<>();
    for (PreferencePair p : pairs) {
      texts.add(p.prompt() + p.chosen() + p.rejected());
    }
    texts.add("0123456789+= abcdefghijklmnopqrstuvwxyz");
    return CharTokenizer.fromTexts(texts);
  }

  /** Writes a fresh random tiny GPT-2 (seed {@code seed}) with {@code tok} into {@code dir}. */
  static Path checkpoint(Path dir, CharTokenizer tok, long seed) throws IOException {
    ModelConfig cfg = new ModelConfig("gpt2", tok.vocabSize(), 32, 2, 2, 64, 0, 1e-5, 0.02);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(cfg, m, seed);
      ModelCheckpoint.save(dir, model, tok);
      model.close();
    }
    return dir;
  }
}

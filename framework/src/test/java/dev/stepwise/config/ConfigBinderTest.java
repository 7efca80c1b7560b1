package dev.stepwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigBinderTest {
  enum Mode { SFT, DPO }

  record Inner(String name, long count) {}

  record Trainer(int maxSteps, double lr, boolean shuffle, Mode mode, @Nullable Integer evalEvery,
      List<String> tags, Map<String, Integer> sizes, Inner inner, List<Inner> inners) {}

  record Positive(int n) {
    Positive {
      if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
    }
  }

  @TempDir Path root;

  private static final String GOOD = String.join("\n",
      "trainer {",
      "  max_steps = 5",
      "  lr = 1",
      "  shuffle = true",
      "  mode = dpo",
      "  tags = [a, b]",
      "  sizes { x = 1, y = 2 }",
      "  inner { name = i, count = 3 }",
      "  inners = [{name = a, count = 1}, {name = b, count = 2}]",
      "}",
      "");

  private Config load(String text, String... overrides) {
    ConfFiles.write(root, "config.conf", "");
    ConfFiles.write(root, "x.conf", text);
    return Composer.compose(ConfigSource.locate(root, "x", null), OverrideParser.parseAll(List.of(overrides)))
        .resolve(Map.of()).config();
  }

  private String error(String text, String... overrides) {
    Config c = load(text, overrides);
    return assertThrows(UserError.class, () -> ConfigBinder.bind(c, "trainer", Trainer.class)).getMessage();
  }

  @Test
  void bindsNestedRecordsListsMapsEnumsAndNullables() {
    Trainer t = ConfigBinder.bind(load(GOOD), "trainer", Trainer.class);
    assertEquals(5, t.maxSteps());
    assertEquals(1.0, t.lr());
    assertEquals(Mode.DPO, t.mode());
    assertNull(t.evalEvery());
    assertEquals(List.of("a", "b"), t.tags());
    assertEquals(Map.of("x", 1, "y", 2), t.sizes());
    assertEquals(new Inner("i", 3), t.inner());
    assertEquals(List.of(new Inner("a", 1), new Inner("b", 2)), t.inners());
    Trainer o = ConfigBinder.bind(load(GOOD, "+trainer.eval_every=7", "trainer.mode=SFT"), "trainer", Trainer.class);
    assertEquals(7, o.evalEvery());
    assertEquals(Mode.SFT, o.mode());
    assertNull(ConfigBinder.bind(load(GOOD, "+trainer.eval_every=null"), "trainer", Trainer.class).evalEvery());
  }

  @Test
  void unknownKeySuggestsTheClosestWithFileAndLine() {
    String m = error(GOOD + "trainer.max_stepz = 3\n");
    assertTrue(m.startsWith("Unknown key 'trainer.max_stepz' ("), m);
    assertTrue(m.endsWith("x.conf:11). Did you mean 'trainer.max_steps'?"), m);
    String typoInstead = error(GOOD.replace("max_steps = 5", "max_stepz = 5"));
    assertTrue(typoInstead.startsWith("Unknown key 'trainer.max_stepz' (") && typoInstead.contains("x.conf:2)"), typoInstead);
    assertTrue(typoInstead.endsWith("Did you mean 'trainer.max_steps'?"), typoInstead);
    String far = error(GOOD + "trainer.zzzzzz = 3\n");
    assertTrue(far.endsWith("Valid keys: eval_every, inner, inners, lr, max_steps, mode, shuffle, sizes, tags."), far);
    String nested = error(GOOD.replace("{name = b, count = 2}", "{nmae = b, count = 2}"));
    assertTrue(nested.startsWith("Unknown key 'trainer.inners[1].nmae' (") && nested.contains("x.conf:9)"), nested);
    assertTrue(nested.endsWith("Did you mean 'trainer.inners[1].name'?"), nested);
  }

  @Test
  void typeMismatchesAreNotCoerced() {
    String abc = error(GOOD.replace("max_steps = 5", "max_steps = abc"));
    assertTrue(abc.startsWith("Type mismatch at 'trainer.max_steps' ("), abc);
    assertTrue(abc.endsWith("x.conf:2): expected an integer, got 'abc' (string)"), abc);
    assertTrue(error(GOOD.replace("max_steps = 5", "max_steps = 1.5")).endsWith("expected an integer, got 1.5 (number)"));
    assertTrue(error(GOOD.replace("max_steps = 5", "max_steps = \"5\"")).endsWith("expected an integer, got '5' (string)"));
    assertTrue(error(GOOD.replace("shuffle = true", "shuffle = 1")).endsWith("expected a boolean, got 1 (number)"));
    assertTrue(error(GOOD.replace("lr = 1", "lr = \"0.1\"")).endsWith("expected a number, got '0.1' (string)"));
    assertTrue(error(GOOD, "trainer.tags=x").contains("expected a list, got 'x' (string)"));
    String en = error(GOOD.replace("mode = dpo", "mode = sftt"));
    assertTrue(en.endsWith("expected one of [sft, dpo], got 'sftt' (string). Did you mean 'sft'?"), en);
    String over = error(GOOD, "trainer.max_steps=abc");
    assertTrue(over.contains("(command line override 'trainer.max_steps=abc'): expected an integer"), over);
    String nul = error(GOOD.replace("lr = 1", "lr = null"));
    assertTrue(nul.startsWith("Type mismatch at 'trainer.lr' (") && nul.endsWith("expected a number, got null"), nul);
    String nulRef = error(GOOD.replace("tags = [a, b]", "tags = null"));
    assertTrue(nulRef.startsWith("Type mismatch at 'trainer.tags' (") && nulRef.endsWith("got null"), nulRef);
  }

  @Test
  void missingKeysNameTheRecordAndTheParentFile() {
    String m = error(GOOD.replace("  max_steps = 5\n", ""));
    assertTrue(m.startsWith("Missing key 'trainer.max_steps' required by Trainer ("), m);
    assertTrue(m.contains("x.conf:"), m);
    String inner = error(GOOD.replace("inner { name = i, count = 3 }", "inner { name = i }"));
    assertTrue(inner.startsWith("Missing key 'trainer.inner.count' required by Inner (") && inner.contains("x.conf:8"), inner);
    Config c = load(GOOD);
    String section = assertThrows(UserError.class, () -> ConfigBinder.bind(c, "trainr", Trainer.class)).getMessage();
    assertTrue(section.startsWith("Missing key 'trainr' required by Trainer") && section.endsWith("Did you mean 'trainer'?"),
        section);
  }

  @Test
  void bindsTheModelConfigContractWithHuggingFaceKeys() {
    Config c = load("model { family = gpt2, vocab_size = 0, n_embd = 32, n_layer = 2, n_head = 4, n_positions = 64,\n"
        + "  n_inner = 0, layer_norm_epsilon = 1e-5, initializer_range = 0.02 }\n");
    dev.stepwise.model.ModelConfig m = ConfigBinder.bind(c, "model", dev.stepwise.model.ModelConfig.class);
    assertEquals(32, m.nEmbd());
    assertEquals(128, m.innerDim());
    assertEquals(1e-5, m.layerNormEpsilon());
  }

  @Test
  void constructorValidationBecomesAUserError() {
    Config c = load("p { n = -1 }\n");
    String m = assertThrows(UserError.class, () -> ConfigBinder.bind(c, "p", Positive.class)).getMessage();
    assertTrue(m.startsWith("Invalid value at 'p' (") && m.endsWith("n must be positive, got -1"), m);
    assertEquals(3, ConfigBinder.bind(load("p { n = 3 }\n"), "p", Positive.class).n());
  }
}

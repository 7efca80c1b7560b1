package dev.stepwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverrideApplyTest {
  @TempDir Path root;
  Path exp;

  @BeforeEach
  void tree() {
    exp = ConfFiles.standardTree(root);
  }

  private Composition compose(String... overrides) {
    return Composer.compose(ConfigSource.locate(exp, "tiny_sft", null), OverrideParser.parseAll(List.of(overrides)));
  }

  private Config cfg(Map<String, String> env, String... overrides) {
    return compose(overrides).resolve(env).config();
  }

  private String error(String... overrides) {
    return assertThrows(UserError.class, () -> cfg(Map.of(), overrides)).getMessage();
  }

  @Test
  void setAddForceAddAndDelete() {
    Config c = cfg(Map.of(), "trainer.max_steps=7", "+trainer.warmup=3", "++trainer.batch_size=2", "++new.key=x",
        "~optim.betas", "model.n_layer=null");
    assertEquals(7, c.getInt("trainer.max_steps"));
    assertEquals(3, c.getInt("trainer.warmup"));
    assertEquals(2, c.getInt("trainer.batch_size"));
    assertEquals("x", c.getString("new.key"));
    assertFalse(c.hasPathOrNull("optim.betas"));
    assertTrue(c.getIsNull("model.n_layer"));
  }

  @Test
  void objectValuesMergeIntoObjectsAndListsReplace() {
    Config c = cfg(Map.of(), "trainer={max_steps: 9, extra: [1]}", "optim.betas=[0.5]");
    assertEquals(9, c.getInt("trainer.max_steps"));
    assertEquals(8, c.getInt("trainer.batch_size"));
    assertEquals(List.of(1), c.getIntList("trainer.extra"));
    assertEquals(List.of(0.5), c.getDoubleList("optim.betas"));
  }

  @Test
  void urlsAndSpecialStringsStayLiteral() {
    Config c = cfg(Map.of(), "+api.base_url=http://localhost:8000/v1", "+api.stop=['\\n\\n', '//']");
    assertEquals("http://localhost:8000/v1", c.getString("api.base_url"));
    assertEquals(List.of("\n\n", "//"), c.getStringList("api.stop"));
  }

  @Test
  void interpolationsResolveOnceAfterOverrides() {
    Config c = cfg(Map.of(), "name=changed", "+trainer.steps_copy=${trainer.max_steps}", "trainer.max_steps=11");
    assertEquals("outputs/changed", c.getString("run_dir"));
    assertEquals(11, c.getInt("trainer.steps_copy"));
    String unresolved = ConfigRenderer.hocon(compose("name=changed").config());
    assertTrue(unresolved.contains("${name}"), unresolved);
  }

  @Test
  void environmentFallbacksWork() {
    ConfFiles.write(root, "exp/sft/arith/env.conf", "data_dir = \"/default\"\ndata_dir = ${?STEPWISE_TEST_DATA}\nhome = ${HOME_T}\n");
    Composition c = Composer.compose(ConfigSource.locate(exp, "env", null), List.of());
    Config withEnv = c.resolve(Map.of("STEPWISE_TEST_DATA", "/data/x", "HOME_T", "/h")).config();
    assertEquals("/data/x", withEnv.getString("data_dir"));
    assertEquals("/h", withEnv.getString("home"));
    UserError e = assertThrows(UserError.class, () -> c.resolve(Map.of()));
    assertTrue(e.getMessage().startsWith("Could not resolve ${HOME_T} (") && e.getMessage().contains("env.conf:3"),
        e.getMessage());
    Composition noHome = Composer.compose(ConfigSource.locate(exp, "env", null), OverrideParser.parseAll(List.of("~home")));
    assertEquals("/default", noHome.resolve(Map.of()).config().getString("data_dir"));
  }

  @Test
  void unresolvableInterpolationSuggestsAKey() {
    String m = error("+x=${trainer.max_stepz}");
    assertTrue(m.startsWith("Could not resolve ${trainer.max_stepz} (command line override '+x=${trainer.max_stepz}')"), m);
    assertTrue(m.endsWith("Did you mean 'trainer.max_steps'?"), m);
  }

  @Test
  void errorMessagesOfEveryForm() {
    assertEquals("Could not override 'trainer.max_stepz': no such key. Did you mean 'trainer.max_steps'? "
        + "To add it use +trainer.max_stepz=5", error("trainer.max_stepz=5"));
    String add = error("+trainer.max_steps=5");
    assertTrue(add.startsWith("Could not add '+trainer.max_steps=5': key 'trainer.max_steps' already exists ("), add);
    assertTrue(add.contains("tiny_sft.conf:4)"), add);
    assertTrue(add.contains("Drop the '+' to override it (trainer.max_steps=5) or use '++'"), add);
    assertEquals("Could not delete '~trainer.nope': no such key.", error("~trainer.nope"));
    String del = error("~trainer.max_steps=6");
    assertTrue(del.startsWith("Could not delete '~trainer.max_steps=6': its value is 5 ("), del);
    String nested = error("++seed.x=1");
    assertTrue(nested.startsWith("Could not set 'seed.x': 'seed' is a number 1 ("), nested);
    assertTrue(assertThrows(UserError.class, () -> OverrideParser.parse("justakey")).getMessage()
        .contains("expected key=value"));
    assertTrue(assertThrows(UserError.class, () -> OverrideParser.parse("a b=1")).getMessage().contains("bad key 'a b'"));
  }

  @Test
  void overridesKeepTheirOriginAndFilesKeepFileAndLine() {
    ComposedConfig c = compose("trainer.max_steps=5").resolve(Map.of());
    assertEquals("command line override 'trainer.max_steps=5'", c.where("trainer.max_steps"));
    assertTrue(c.where("trainer.batch_size").endsWith("trainer/default.conf:2"), c.where("trainer.batch_size"));
    assertTrue(c.where("optim.lr").endsWith("exp/sft/arith/tiny_sft.conf:6"), c.where("optim.lr"));
    assertTrue(c.where("model.tokenizer.vocab").endsWith("model/tokenizer/char.conf:2"), c.where("model.tokenizer.vocab"));
    assertEquals(List.of("trainer.max_steps=5"), c.overrides());
  }

  @Test
  void overrideParserRecognisesEveryForm() {
    assertEquals(ConfigOverride.Kind.SET, OverrideParser.parse("a.b=1").kind());
    assertEquals(ConfigOverride.Kind.ADD, OverrideParser.parse("+a.b=1").kind());
    assertEquals(ConfigOverride.Kind.FORCE_ADD, OverrideParser.parse("++a.b=1").kind());
    ConfigOverride del = OverrideParser.parse("~a.b");
    assertEquals(ConfigOverride.Kind.DELETE, del.kind());
    assertEquals(null, del.value());
    assertEquals("api/vllm_params", OverrideParser.parse("api/vllm_params=default").key());
    assertEquals("x=y", OverrideParser.parse("k=x=y").value() instanceof ParsedValue.Text t ? t.plain() : null);
  }
}

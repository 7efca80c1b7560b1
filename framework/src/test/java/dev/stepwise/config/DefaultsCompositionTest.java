package dev.stepwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultsCompositionTest {
  @TempDir Path root;

  private Composition compose(Path configPath, String name, String... overrides) {
    return Composer.compose(ConfigSource.locate(configPath, name, null), OverrideParser.parseAll(List.of(overrides)));
  }

  private Config resolved(Path configPath, String name, String... overrides) {
    return compose(configPath, name, overrides).resolve(Map.of()).config();
  }

  @Test
  void composesRootThenDefaultsThenSelfWithGroupsUnderTheirPackage() {
    Path exp = ConfFiles.standardTree(root);
    Composition c = compose(exp, "tiny_sft.conf");
    Config cfg = c.resolve(Map.of()).config();
    assertEquals(1, cfg.getInt("seed"));
    assertEquals("tiny_sft", cfg.getString("name"));
    assertEquals("outputs/tiny_sft", cfg.getString("run_dir"));
    assertEquals(32, cfg.getInt("model.n_embd"));
    assertEquals("char", cfg.getString("model.tokenizer.kind"));
    assertEquals(5, cfg.getInt("trainer.max_steps"));
    assertEquals(8, cfg.getInt("trainer.batch_size"));
    assertEquals(3e-4, cfg.getDouble("optim.lr"), 1e-12);
    assertEquals(0.0, cfg.getDouble("optim.weight_decay"));
    assertFalse(cfg.hasPath("defaults"));
    assertFalse(cfg.hasPath("model.defaults"));
    assertEquals(Map.of("model", "gpt2_tiny", "model/tokenizer", "char", "optim", "adamw", "trainer", "default"),
        c.choices());
    List<String> order = c.defaults().items().stream().map(DefaultsItem::configPath).toList();
    assertEquals(List.of("config", "model/tokenizer/char", "model/gpt2_tiny", "optim/adamw", "trainer/default",
        "exp/sft/arith/tiny_sft"), order);
    assertEquals("model.tokenizer", c.defaults().items().get(1).pkg());
    assertEquals("model/gpt2_tiny", c.defaults().items().get(1).parent());
  }

  @Test
  void selfPlacementDecidesWhoWins() {
    ConfFiles.write(root, "config.conf", "");
    ConfFiles.write(root, "g/a.conf", "x = from_group\n");
    ConfFiles.write(root, "first.conf", "defaults = [_self_, {g: a}]\nx = from_self\n");
    ConfFiles.write(root, "last.conf", "defaults = [{g: a}, _self_]\nx = from_self\n");
    ConfFiles.write(root, "absent.conf", "defaults = [{g: a}]\nx = from_self\n");
    assertEquals("from_group", resolved(root, "first").getString("g.x"));
    ConfFiles.write(root, "first2.conf", "defaults = [_self_, {g: a}]\ng.x = from_self\n");
    ConfFiles.write(root, "last2.conf", "defaults = [{g: a}, _self_]\ng.x = from_self\n");
    ConfFiles.write(root, "absent2.conf", "defaults = [{g: a}]\ng.x = from_self\n");
    assertEquals("from_group", resolved(root, "first2").getString("g.x"));
    assertEquals("from_self", resolved(root, "last2").getString("g.x"));
    assertEquals("from_self", resolved(root, "absent2").getString("g.x"));
  }

  @Test
  void nestedDefaultsInGroupFilesAreRelativeAndCanBeAbsolute() {
    ConfFiles.write(root, "config.conf", "");
    ConfFiles.write(root, "server/apache.conf", "defaults = [{db: mysql}, {/log: json}]\nport = 80\n");
    ConfFiles.write(root, "server/db/mysql.conf", "defaults = [{driver: jdbc}]\nhost = db1\n");
    ConfFiles.write(root, "server/db/driver/jdbc.conf", "name = jdbc\n");
    ConfFiles.write(root, "log/json.conf", "format = json\n");
    ConfFiles.write(root, "main.conf", "defaults = [{server: apache}]\n");
    Composition c = compose(root, "main");
    Config cfg = c.resolve(Map.of()).config();
    assertEquals("db1", cfg.getString("server.db.host"));
    assertEquals("jdbc", cfg.getString("server.db.driver.name"));
    assertEquals("json", cfg.getString("log.format"));
    assertEquals(List.of("server", "server/db", "server/db/driver", "log"), List.copyOf(c.choices().keySet()));
  }

  @Test
  void groupOverrideSwapsTheOptionAndNullDropsIt() {
    Path exp = ConfFiles.standardTree(root);
    Composition c = compose(exp, "tiny_sft", "model=gpt2_small", "optim=null");
    Config cfg = c.resolve(Map.of()).config();
    assertEquals(768, cfg.getInt("model.n_embd"));
    assertFalse(cfg.hasPath("model.tokenizer"));
    assertEquals(3e-4, cfg.getDouble("optim.lr"), 1e-12);
    assertFalse(cfg.hasPath("optim.weight_decay"));
    assertEquals("gpt2_small", c.choices().get("model"));
    assertTrue(c.choices().containsKey("optim"));
    assertNull(c.choices().get("optim"));
    assertEquals("bpe", resolved(exp, "tiny_sft", "model/tokenizer=bpe").getString("model.tokenizer.kind"));
  }

  @Test
  void plusGroupAppendsAfterThePrimaryAndDoublePlusSwapsOrAppends() {
    Path exp = ConfFiles.standardTree(root);
    Composition c = compose(exp, "tiny_sft", "+tracker=console", "++optim=sgd");
    Config cfg = c.resolve(Map.of()).config();
    assertEquals("console", cfg.getString("tracker.kind"));
    assertEquals(3e-4, cfg.getDouble("optim.lr"), 1e-12);
    assertEquals("sgd", c.choices().get("optim"));
    List<DefaultsItem> items = c.defaults().items();
    assertEquals("tracker/console", items.get(items.size() - 1).configPath());
    assertEquals("console", resolved(exp, "tiny_sft", "++tracker=console").getString("tracker.kind"));
  }

  @Test
  void deletingAGroupRemovesItsContent() {
    Path exp = ConfFiles.standardTree(root);
    Config cfg = resolved(exp, "tiny_sft", "~optim", "~trainer=default");
    assertEquals(3e-4, cfg.getDouble("optim.lr"), 1e-12);
    assertFalse(cfg.hasPath("optim.betas"));
    assertFalse(cfg.hasPath("trainer.batch_size"));
    UserError e = assertThrows(UserError.class, () -> compose(exp, "tiny_sft", "~optim=sgd"));
    assertTrue(e.getMessage().contains("the option of 'optim' is 'adamw'"), e.getMessage());
  }

  @Test
  void groupErrorsListOptionsAndSuggest() {
    Path exp = ConfFiles.standardTree(root);
    UserError missing = assertThrows(UserError.class, () -> compose(exp, "tiny_sft", "model=gpt2_tiniest"));
    assertTrue(missing.getMessage().startsWith("Could not find 'model/gpt2_tiniest'"), missing.getMessage());
    assertTrue(missing.getMessage().contains("Available options in 'model': gpt2_small, gpt2_tiny"), missing.getMessage());
    assertTrue(missing.getMessage().contains("command line override 'model=gpt2_tiniest'"), missing.getMessage());

    UserError notInList = assertThrows(UserError.class, () -> compose(exp, "tiny_sft", "tracker=console"));
    assertEquals("Could not override 'tracker'. No match in the defaults list. "
        + "To append to your defaults list use +tracker=console", notInList.getMessage());

    UserError dupAdd = assertThrows(UserError.class, () -> compose(exp, "tiny_sft", "+model=gpt2_small"));
    assertTrue(dupAdd.getMessage().contains("already in the defaults list")
        && dupAdd.getMessage().endsWith("Drop the '+' to override it: model=gpt2_small"), dupAdd.getMessage());

    UserError option = assertThrows(UserError.class, () -> compose(exp, "tiny_sft", "model=[a,[b]]"));
    assertTrue(option.getMessage().contains("takes an option name"), option.getMessage());
  }

  @Test
  void fileErrorsNameFileAndLine() {
    ConfFiles.write(root, "config.conf", "");
    ConfFiles.write(root, "model/a.conf", "x = 1\n");
    ConfFiles.write(root, "typo.conf", "a = 1\ndefaults = [\n  {modle: a}\n]\n");
    UserError e = assertThrows(UserError.class, () -> compose(root, "typo"));
    assertTrue(e.getMessage().startsWith("Unknown config group 'modle' ("), e.getMessage());
    assertTrue(e.getMessage().contains("typo.conf:3). Did you mean 'model'?"), e.getMessage());

    ConfFiles.write(root, "dup.conf", "defaults = [{model: a}, {model: a}]\n");
    assertTrue(assertThrows(UserError.class, () -> compose(root, "dup")).getMessage().contains("appears twice"));

    ConfFiles.write(root, "cycle/a.conf", "defaults = [{/cycle: a}]\n");
    ConfFiles.write(root, "cyc.conf", "defaults = [{cycle: a}]\n");
    assertTrue(assertThrows(UserError.class, () -> compose(root, "cyc")).getMessage().contains("appears twice"));

    ConfFiles.write(root, "bad.conf", "a = {\n");
    UserError syntax = assertThrows(UserError.class, () -> compose(root, "bad"));
    assertTrue(syntax.getMessage().startsWith("Syntax error in ") && syntax.getMessage().contains("bad.conf:"),
        syntax.getMessage());

    ConfFiles.write(root, "unmatched.conf", "defaults = [{\"override model\": a}]\n");
    assertTrue(assertThrows(UserError.class, () -> compose(root, "unmatched")).getMessage()
        .contains("unmatched.conf:1): no match in the defaults list."));
  }

  @Test
  void primaryConfigIsLocatedWithOrWithoutExtensionAndRootCanBeExplicit() {
    Path exp = ConfFiles.standardTree(root);
    assertEquals(root.toAbsolutePath().normalize(), ConfigSource.locate(exp, "tiny_sft", null).confRoot().dir());
    UserError e = assertThrows(UserError.class, () -> ConfigSource.locate(exp, "tiny_sf", null));
    assertTrue(e.getMessage().contains("Cannot find primary config 'tiny_sf'") && e.getMessage().contains("Did you mean 'tiny_sft'?"),
        e.getMessage());
    ConfFiles.write(root, "other/config.conf", "seed = 99\n");
    ConfFiles.write(root, "other/model/m.conf", "k = 1\n");
    ConfFiles.write(root, "alone/x.conf", "defaults = [{model: m}]\n");
    Config cfg = Composer.compose(ConfigSource.locate(root.resolve("alone"), "x", root.resolve("other")), List.of())
        .resolve(Map.of()).config();
    assertEquals(99, cfg.getInt("seed"));
    assertEquals(1, cfg.getInt("model.k"));
  }
}

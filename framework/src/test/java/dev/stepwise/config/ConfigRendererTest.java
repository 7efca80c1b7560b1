package dev.stepwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRendererTest {
  @TempDir Path root;

  private Composition compose(String... overrides) {
    Path exp = ConfFiles.standardTree(root);
    return Composer.compose(ConfigSource.locate(exp, "tiny_sft", null), OverrideParser.parseAll(List.of(overrides)));
  }

  @Test
  void jobRenderingIsHoconThatParsesBackToTheSameConfig() {
    Composition c = compose("trainer.max_steps=9", "+api.url=http://h:1/v1");
    String text = ConfigRenderer.hocon(c.config());
    assertTrue(text.contains("${name}"), text);
    Config reparsed = ConfigFactory.parseString(text).resolve();
    Config resolved = c.resolve(Map.of()).config();
    assertEquals(resolved.root().unwrapped(), reparsed.root().unwrapped());
    assertEquals("http://h:1/v1", reparsed.getString("api.url"));
    assertTrue(ConfigRenderer.hocon(resolved).contains("outputs/tiny_sft"));
  }

  @Test
  void allAddsChoicesAndOverrides() {
    Composition c = compose("model=gpt2_small");
    Config all = ConfigFactory.parseString(ConfigRenderer.all(c.config(), c));
    assertEquals("gpt2_small", all.getString("hydra.runtime.choices.model"));
    assertEquals("adamw", all.getString("hydra.runtime.choices.optim"));
    assertEquals("tiny_sft", all.getString("hydra.runtime.config_name"));
    assertEquals(List.of("model=gpt2_small"), all.getStringList("hydra.overrides.task"));
    assertEquals(768, all.getInt("model.n_embd"));
  }

  @Test
  void defaultsTableListsEveryFileInOrder() {
    String table = ConfigRenderer.defaultsTable(compose().defaults());
    List<String> lines = table.lines().toList();
    assertTrue(lines.get(2).contains("Config path") && lines.get(2).contains("Package"), table);
    assertTrue(lines.get(3).startsWith("| config "), table);
    assertTrue(lines.get(4).contains("model/tokenizer/char") && lines.get(4).contains("model.tokenizer")
        && lines.get(4).contains("model/gpt2_tiny") && lines.get(4).contains("char.conf"), table);
    assertTrue(lines.get(8).contains("exp/sft/arith/tiny_sft") && lines.get(8).contains("_global_"), table);
    assertTrue(table.contains("model: gpt2_tiny\n") && table.contains("model/tokenizer: char\n"), table);
  }
}

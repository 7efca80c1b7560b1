package dev.stepwise.model.lora;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.ConfigBinder;
import dev.stepwise.config.UserError;
import dev.stepwise.model.LinearModule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lora.target_modules} matching (PEFT's rules) and the {@code lora} group's binding and checks. */
class LoraTargetsTest {
  static List<LinearModule> llama(int layers) {
    List<LinearModule> out = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      for (String n : new String[] {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
          "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"}) {
        out.add(new LinearModule("model.layers." + l + "." + n, 8, 8, false));
      }
    }
    return out;
  }

  static List<String> names(List<LinearModule> m) {
    return m.stream().map(LinearModule::name).toList();
  }

  @Test
  void suffixRegexAllLinearAndFamilyDefaults() {
    List<LinearModule> mods = llama(2);
    assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
        "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"), names(LoraTargets.select(mods, null, "llama")));
    assertEquals(14, LoraTargets.select(mods, List.of("all-linear"), "llama").size());
    assertEquals(List.of("model.layers.0.mlp.down_proj", "model.layers.1.mlp.down_proj"),
        names(LoraTargets.select(mods, List.of("down_proj"), "llama")));
    assertEquals(List.of("model.layers.1.self_attn.k_proj"),
        names(LoraTargets.select(mods, List.of("model\\.layers\\.1\\..*k_proj"), "llama")));
    List<LinearModule> gpt2 = List.of(new LinearModule("transformer.h.0.attn.c_attn", 4, 12, true),
        new LinearModule("transformer.h.0.attn.c_proj", 4, 4, true), new LinearModule("transformer.h.0.mlp.c_fc", 4, 16, true),
        new LinearModule("transformer.h.0.mlp.c_proj", 16, 4, true));
    assertEquals(List.of("transformer.h.0.attn.c_attn"), names(LoraTargets.select(gpt2, null, "gpt2")));
    assertEquals(2, LoraTargets.select(gpt2, List.of("c_proj"), "gpt2").size(), "a leaf name matches both c_proj");
    assertEquals(List.of("transformer.h.0.attn.c_proj"), names(LoraTargets.select(gpt2, List.of("attn.c_proj"), "gpt2")));
    UserError e = assertThrows(UserError.class, () -> LoraTargets.select(mods, List.of("q_proj", "qkv_proj"), "llama"));
    assertTrue(e.getMessage().contains("[qkv_proj]") && e.getMessage().contains("gate_proj"), e.getMessage());
  }

  @Test
  void bindingDefaultsAndErrors() {
    LoraConfig c = ConfigBinder.bind(ConfigFactory.parseString("lora { r = 16, alpha = 32, target_modules = all-linear }"),
        "lora", LoraConfig.class);
    assertEquals(List.of("all-linear"), c.targetModules());
    assertEquals(2.0, c.scale());
    assertEquals(0.0, c.dropout());
    assertEquals("none", c.bias());
    assertTrue(c.initLoraWeights());
    UserError typo = assertThrows(UserError.class,
        () -> ConfigBinder.bind(ConfigFactory.parseString("lora { rank = 4 }"), "lora", LoraConfig.class));
    assertTrue(typo.getMessage().contains("rank"), typo.getMessage());
    assertThrows(UserError.class, () -> new LoraConfig(0, null, null, null, null, null, null, null, null));
    assertThrows(UserError.class, () -> new LoraConfig(null, null, 1.0, null, null, null, null, null, null));
    UserError bias = assertThrows(UserError.class, () -> new LoraConfig(null, null, null, null, null, "all", null, null, null));
    assertTrue(bias.getMessage().contains("lora.bias"));
  }
}

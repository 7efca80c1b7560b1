package dev.stepwise.rl.ppo;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.UserError;
import dev.stepwise.rl.SectionBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped {@code ppo} section binds; bad values name their {@code ppo.*} key. */
class PpoConfigTest {
  private static PpoConfig bind(Object section) {
    return SectionBinding.bind(section, PpoConfig.class);
  }

  @Test
  void shippedConfigBinds() {
    var c = ConfigFactory.parseFile(Path.of("..", "conf", "exp", "ppo", "arith", "tiny_step_ppo.conf").toFile());
    assertEquals("step_ppo", c.getString("objective"));
    PpoConfig p = bind(c.getConfig("ppo").root().unwrapped());
    assertNull(p.modelPath());
    assertEquals(RewardMode.PROCESS_OUTCOME, p.mode());
    assertEquals(KlEstimator.K1, p.kl());
    assertEquals("policy", p.criticInit());
    assertEquals(1.0, p.lam());
    assertEquals(4, p.updatesPerRollout());
    assertTrue(c.hasPath("prm.reduce"));
  }

  @Test
  void trlDefaults() {
    PpoConfig p = bind(Map.of());
    assertEquals(4, p.numPpoEpochs());
    assertEquals(1, p.numMiniBatches());
    assertEquals(1.0, p.gamma());
    assertEquals(0.95, p.lam());
    assertEquals(0.2, p.cliprange());
    assertEquals(0.2, p.cliprangeValue());
    assertEquals(0.1, p.vfCoef());
    assertEquals(0.05, p.klCoef());
    assertFalse(p.whitenRewards());
  }

  @Test
  void badValuesNameTheirKey() {
    for (var bad : List.of(
        new Object[] {"num_ppo_epochs", 0},
        new Object[] {"cliprange", 1.5},
        new Object[] {"lam", 2.0},
        new Object[] {"kl_estimator", "k2"},
        new Object[] {"reward_mode", "dense"},
        new Object[] {"critic_init", "sft"},
        new Object[] {"response_length", 0})) {
      UserError e = assertThrows(UserError.class, () -> bind(Map.of(bad[0], bad[1])), bad[0].toString());
      assertTrue(e.getMessage().contains("ppo." + bad[0]), e.getMessage());
    }
  }
}

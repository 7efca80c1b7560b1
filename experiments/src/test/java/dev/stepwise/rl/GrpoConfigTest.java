package dev.stepwise.rl;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.UserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code grpo} section of the shipped config binds, and bad values name their key. */
class GrpoConfigTest {
  private static GrpoConfig bind(Object section) {
    return SectionBinding.bind(section, GrpoConfig.class);
  }

  @Test
  void shippedConfigBindsWithTrlDefaults() {
    Path conf = Path.of("..", "conf", "exp", "ppo", "arith", "tiny_grpo.conf");
    var section = ConfigFactory.parseFile(conf.toFile()).getConfig("grpo").root().unwrapped();
    GrpoConfig g = bind(section);
    assertNull(g.modelPath());
    assertEquals(8, g.numGenerations());
    assertEquals(0.2, g.epsilon());
    assertEquals(0.2, g.epsilonHigh(), "epsilon_high null = epsilon");
    assertEquals(0.0, g.beta());
    assertEquals(ScaleRewards.GROUP, g.scale());
    assertEquals(LossType.DAPO, g.lossParams().lossType());
    assertEquals(List.of("answer"), g.rewardFuncs());
    assertEquals(1.0, g.weight(0));
  }

  @Test
  void badValuesNameTheirKey() {
    for (var bad : List.of(
        new Object[] {"num_generations", 1},
        new Object[] {"epsilon", 1.5},
        new Object[] {"beta", -0.1},
        new Object[] {"scale_rewards", "grouped"},
        new Object[] {"loss_type", "sum"},
        new Object[] {"reward_weights", List.of(1.0, 2.0)})) {
      UserError e = assertThrows(UserError.class, () -> bind(java.util.Map.of(bad[0], bad[1])), bad[0].toString());
      assertTrue(e.getMessage().contains("grpo." + bad[0]), e.getMessage());
    }
  }
}

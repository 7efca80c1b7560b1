package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.ConfigBinder;
import dev.stepwise.config.UserError;
import dev.stepwise.reward.model.ClassReduce;
import dev.stepwise.reward.model.HeadType;
import dev.stepwise.reward.model.StepScore;
import dev.stepwise.reward.predict.Reduce;
import dev.stepwise.rl.prm.PrmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20 item 2: the class head's step score by name, prob_ge (the reference's) or expected. */
class StepScoreTest {
  static final double[] A = {0, .6, 0, .4};
  static final double[] B = {.3, 0, .5, .2};

  @Test
  void issueExamplesUnderBothRules() {
    assertEquals(.60, StepScore.EXPECTED.of(A), 1e-6);
    assertEquals(.40, StepScore.REFERENCE.of(A), 1e-6);
    assertEquals(1.6 / 3, StepScore.EXPECTED.of(B), 1e-6);
    assertEquals(.70, StepScore.REFERENCE.of(B), 1e-6);
  }

  /** The path StepScorer takes: logits log(p) through the softmax give back p. */
  @Test
  void logitsPathOrdersResponsesByTheConfiguredRule() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] logits = new float[8];
      for (int i = 0; i < 4; i++) {
        logits[i] = (float) Math.log(Math.max(A[i], 1e-12));
        logits[4 + i] = (float) Math.log(Math.max(B[i], 1e-12));
      }
      var x = m.create(logits, new Shape(1, 2, 4));
      float[] ref = StepScore.REFERENCE.apply(HeadType.CLASSES, x, m).toFloatArray();
      float[] exp = StepScore.EXPECTED.apply(HeadType.CLASSES, x, m).toFloatArray();
      assertEquals(.40, ref[0], 1e-5);
      assertEquals(.70, ref[1], 1e-5);
      assertEquals(.60, exp[0], 1e-5);
      assertEquals(1.6 / 3, exp[1], 1e-5);
      assertTrue(ref[1] > ref[0] && exp[0] > exp[1], "the two rules must order A and B oppositely");
    }
  }

  @Test
  void labelBeyondTheHeadIsAUserError() {
    StepScore s = new StepScore(ClassReduce.PROB_GE, List.of(2, 3));
    UserError e = assertThrows(UserError.class, () -> s.of(new double[] {.5, .2, .3}));
    assertTrue(e.getMessage().contains("prm.prob_labels"), e.getMessage());
  }

  @Test
  void stepOffsetDropsTheLastScoresBeforeReducing() {
    double[] p = {.9, .8, .1};
    assertEquals(.8, Reduce.MIN.apply(p, 1), 1e-12);
    assertEquals(.72, Reduce.PRODUCT.apply(p, 1), 1e-12);
    assertEquals(.8, Reduce.LAST.apply(p, 1), 1e-12);
    assertEquals(0, Reduce.MIN.apply(new double[] {.9}, 1), 1e-12);
    assertEquals(.1, Reduce.MIN.apply(p, 0), 1e-12);
  }

  @Test
  void unknownClassReduceNamesFileLineAndSuggests(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.conf");
    Files.writeString(f, "prm {\n  class_reduce = prob_gt\n}\n");
    Config c = ConfigFactory.parseFile(f.toFile()).resolve();
    UserError e = assertThrows(UserError.class, () -> ConfigBinder.bind(c, "prm", PrmConfig.class));
    assertTrue(e.getMessage().contains("prm.class_reduce"), e.getMessage());
    assertTrue(e.getMessage().contains("x.conf:2"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean 'prob_ge'"), e.getMessage());
  }

  @Test
  void badLabelsAndOffsetAreUserErrors() {
    assertThrows(UserError.class, () -> new PrmConfig(null, null, null, ClassReduce.PROB_GE, List.of(), null));
    assertThrows(UserError.class, () -> new PrmConfig(null, null, null, ClassReduce.PROB_GE, List.of(3, 3), null));
    assertThrows(UserError.class, () -> new PrmConfig(null, null, null, null, null, -1));
  }

  /** The shipped configs reach the scorer with the rule docs/reward.md names for them. */
  @Test
  void shippedConfigsBindTheirRule() {
    Config lpr = ConfigFactory.parseFile(Path.of("..", "conf", "exp", "sample", "arith", "tiny_predict.conf").toFile()).resolve();
    PrmConfig p = ConfigBinder.bind(lpr, "prm", PrmConfig.class);
    assertEquals(StepScore.REFERENCE, p.stepScore());
    assertEquals(1, p.stepOffset());
    Config gsm = ConfigFactory.parseFile(Path.of("..", "conf", "exp", "reward", "gsm8k", "predict.conf").toFile()).resolve();
    PrmConfig g = ConfigBinder.bind(gsm, "prm", PrmConfig.class);
    assertEquals(ClassReduce.EXPECTED, g.stepScore().classReduce());
    assertEquals(0, g.stepOffset());
    assertEquals(StepScore.EXPECTED, PrmConfig.defaults().stepScore());
    assertEquals(0, PrmConfig.defaults().stepOffset());
  }
}

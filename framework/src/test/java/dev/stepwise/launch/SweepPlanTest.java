package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.ConfFiles;
import dev.stepwise.config.ConfRoot;
import dev.stepwise.config.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlanTest {
  @TempDir Path root;

  private List<List<String>> plan(Map<String, String> params, String... overrides) {
    ConfFiles.write(root, "config.conf", "a = 1\n");
    ConfFiles.write(root, "model/gpt2_tiny.conf", "x = 1\n");
    ConfFiles.write(root, "model/gpt2_small.conf", "x = 2\n");
    ConfFiles.write(root, "model/llama.conf", "x = 3\n");
    return SweepPlan.expand(List.of(overrides), params, ConfRoot.of(root)).stream().map(SweepJob::overrides).toList();
  }

  @Test
  void cartesianProductFirstKeySlowestFixedOverridesKept() {
    assertEquals(List.of(
        List.of("a=1", "b=x", "c=5"), List.of("a=1", "b=y", "c=5"), List.of("a=1", "b=z", "c=5"),
        List.of("a=2", "b=x", "c=5"), List.of("a=2", "b=y", "c=5"), List.of("a=2", "b=z", "c=5")),
        plan(Map.of(), "a=1,2", "b=x,y,z", "c=5"));
  }

  @Test
  void rangeChoiceAndGlob() {
    assertEquals(List.of(List.of("a=0"), List.of("a=0.25"), List.of("a=0.5"), List.of("a=0.75")),
        plan(Map.of(), "a=range(0,1,0.25)"));
    assertEquals(List.of(List.of("a=1"), List.of("a=2"), List.of("a=3")), plan(Map.of(), "a=range(1,4)"));
    assertEquals(List.of(List.of("a=3"), List.of("a=1")), plan(Map.of(), "a=range(3,0,-2)"));
    assertEquals(List.of(List.of("+t='a,b'"), List.of("+t=[1,2]")), plan(Map.of(), "+t=choice('a,b',[1,2])"));
    assertEquals(List.of(List.of("model=gpt2_small"), List.of("model=gpt2_tiny")), plan(Map.of(), "model=glob(gpt2_*)"));
    UserError e = assertThrows(UserError.class, () -> plan(Map.of(), "a=glob(*)"));
    assertTrue(e.getMessage().contains("'a' is not one"), e.getMessage());
  }

  @Test
  void zipMovesKeysTogether() {
    assertEquals(List.of(List.of("a=1", "b=x", "c=0"), List.of("a=1", "b=x", "c=1"),
        List.of("a=2", "b=y", "c=0"), List.of("a=2", "b=y", "c=1")),
        plan(Map.of(), "a=zip(1,2)", "b=zip(x,y)", "c=0,1"));
    UserError e = assertThrows(UserError.class, () -> plan(Map.of(), "a=zip(1,2)", "b=zip(x,y,z)"));
    assertTrue(e.getMessage().startsWith("Zipped sweeps need the same number of values"), e.getMessage());
  }

  @Test
  void sweepParamsComeFirstAndTheCommandLineWins() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("optim.lr", "1e-4,1e-3");
    params.put("b", "p,q");
    assertEquals(List.of(List.of("optim.lr=1e-4", "b=z"), List.of("optim.lr=1e-3", "b=z")), plan(params, "b=z"));
  }

  @Test
  void quotedAndBracketedCommasAreNotSweeps() {
    assertEquals(List.of(List.of("a='1,2'", "b=[1,2]", "c={x: 1, y: 2}")), plan(Map.of(), "a='1,2'", "b=[1,2]", "c={x: 1, y: 2}"));
  }
}

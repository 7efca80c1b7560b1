package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link RelaunchPolicy}: which command lines sample and which settings keep an entry
 * point in its own JVM. {@code RelaunchTest} in the entrypoints module runs the real jars.
 */
class RelaunchPolicyTest {
  static final String[] SFT = {"-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "trainer.max_steps=3"};

  static boolean relaunch(String[] args, Map<String, String> env, String decoder, List<String> jvmArgs) {
    return RelaunchPolicy.relaunch(args, env, decoder, jvmArgs, false, true);
  }

  @Test
  void printingCommandsNeverSample() {
    for (String[] a : List.of(
        new String[] {"-cp", "c", "-cn", "x", "--cfg", "job"},
        new String[] {"-cn", "x", "--cfg=all", "--resolve"},
        new String[] {"--info", "defaults"},
        new String[] {"--info=searchpath"},
        new String[] {"-cn", "x", "--origins"},
        new String[] {"-h"},
        new String[] {"a=1", "--help"})) {
      assertFalse(RelaunchPolicy.samples(a), String.join(" ", a));
    }
  }

  @Test
  void jobsSweepsAndResumesSample() {
    assertTrue(RelaunchPolicy.samples(SFT));
    assertTrue(RelaunchPolicy.samples(new String[] {"-cn", "x", "-m", "a=1,2"}));
    assertTrue(RelaunchPolicy.samples(new String[] {"--resume", "multirun/x"}));
    assertTrue(RelaunchPolicy.samples(new String[0]));
  }

  @Test
  void anOptionValueIsNotTakenForAnOption() {
    assertTrue(RelaunchPolicy.samples(new String[] {"-cn", "--cfg", "-cp", "--help", "--config-dir", "--origins"}));
  }

  @Test
  void relaunchesOnlyWhenTheJavaDecoderWouldRunAndTheModuleIsMissing() {
    Map<String, String> env = Map.of();
    List<String> jvm = List.of("-Xmx2g");
    assertTrue(relaunch(SFT, env, null, jvm));
    assertTrue(relaunch(SFT, env, " Java ", jvm));
    assertTrue(relaunch(SFT, env, "auto", jvm));
    assertFalse(relaunch(SFT, env, "torch", jvm), "torch never uses the module");
    assertFalse(relaunch(SFT, env, "jvaa", jvm), "a bad value is reported by this JVM");
    assertFalse(RelaunchPolicy.relaunch(SFT, env, null, jvm, true, true), "the module is already there");
    assertFalse(RelaunchPolicy.relaunch(SFT, env, null, jvm, false, false), "the runtime lacks the module");
    assertFalse(relaunch(new String[] {"--cfg", "job"}, env, null, jvm));
  }

  @Test
  void theEnvironmentOptsOutAndTheChildNeverRelaunches() {
    List<String> jvm = List.of();
    assertFalse(relaunch(SFT, Map.of(RelaunchPolicy.NO_RELAUNCH_ENV, "1"), null, jvm));
    assertFalse(relaunch(SFT, Map.of(RelaunchPolicy.CHILD_ENV, "1"), null, jvm));
    assertTrue(relaunch(SFT, Map.of(RelaunchPolicy.NO_RELAUNCH_ENV, "0"), null, jvm));
  }

  @Test
  void aDebuggerOrJavaAgentKeepsTheCommandInThisJvm() {
    assertFalse(relaunch(SFT, Map.of(), null, List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005")));
    assertFalse(relaunch(SFT, Map.of(), null, List.of("-javaagent:/x/agent.jar")));
  }

  @Test
  void theChildCommandAddsTheFlagRightAfterJava() {
    List<String> cmd = Relaunch.command(VectorProbeMain.class, new String[] {"a=1", "b c"});
    assertEquals(dev.stepwise.model.cpu.CpuDecoding.JVM_FLAG, cmd.get(1));
    assertEquals(List.of(VectorProbeMain.class.getName(), "a=1", "b c"), cmd.subList(cmd.size() - 3, cmd.size()));
  }
}

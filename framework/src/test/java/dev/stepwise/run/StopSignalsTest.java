package dev.stepwise.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.UserError;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The stop flag, its signal handler (a real SIGUSR1 sent to this JVM) and the names and codes. */
class StopSignalsTest {
  @AfterEach
  void forget() {
    StopSignals.reset();
  }

  @Test
  void namesAreCheckedWithDidYouMeanAndCodesAre128PlusTheSignal() {
    assertEquals("TERM", StopSignals.normalize("sigterm", "here"));
    assertEquals("USR1", StopSignals.normalize(" SIGUSR1 ", "here"));
    UserError e = assertThrows(UserError.class, () -> StopSignals.normalize("TRM", "conf/config.conf: 30"));
    assertTrue(e.getMessage().contains("unknown signal 'TRM' (conf/config.conf: 30). Did you mean 'TERM'?"), e.getMessage());
    assertThrows(UserError.class, () -> StopSignals.normalize("KILL", "here"));
    assertEquals(143, StopSignals.exitCode("TERM"));
    assertEquals(130, StopSignals.exitCode("INT"));
  }

  @Test
  void checkThrowsOnceRequestedAndListenersRun() throws Exception {
    StopSignals.check(); // nothing requested
    CountDownLatch heard = new CountDownLatch(1);
    try (AutoCloseable l = StopSignals.onStop(heard::countDown)) {
      StopSignals.request("INT");
      StopSignals.request("TERM"); // later requests change nothing
      assertTrue(heard.await(1, TimeUnit.SECONDS));
    }
    StopRequested s = assertThrows(StopRequested.class, StopSignals::check);
    assertEquals("INT", s.signal());
    assertEquals(130, s.exitCode());
    assertSame(s, StopRequested.in(new CompletionException(new RuntimeException(s))));
    assertNull(StopRequested.in(new RuntimeException("other")));
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aRealSignalSetsTheFlagWithoutEndingTheJvm() throws Exception {
    StopSignals.install(List.of("USR1"), true, "test");
    assertFalse(StopSignals.requested());
    Process kill = new ProcessBuilder("kill", "-USR1", String.valueOf(ProcessHandle.current().pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!StopSignals.requested() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals("USR1", StopSignals.signal());
    assertEquals(138, assertThrows(StopRequested.class, StopSignals::check).exitCode() - (StopSignals.exitCode("USR1") - 138));
  }
}

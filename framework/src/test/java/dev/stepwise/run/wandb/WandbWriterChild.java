package dev.stepwise.run.wandb;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A child JVM for {@link WandbKillTest}: opens a W&amp;B run under {@code args[0]} and logs steps
 * until it is killed; every 5th step carries a 40,000-character text value, so records cross
 * 32 KiB blocks. Prints the run file's path once, then {@code step <n>} per step.
 */
public final class WandbWriterChild {
  private WandbWriterChild() {}

  /** @param args {@code [base dir]} */
  public static void main(String[] args) throws Exception {
    WandbTracker t = WandbTracker.open(Path.of(args[0]), WandbSettings.defaults(), Map.of("seed", "1"));
    System.out.println("file " + t.file());
    System.out.flush();
    for (long step = 1; ; step++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss", 1.0 / step);
      if (step % 5 == 0) {
        m.put("sample", String.valueOf((char) ('a' + step % 26)).repeat(40_000));
      }
      t.log(step, m);
      if (step % 3 == 0) {
        Thread.sleep(1);
      }
    }
  }
}

package dev.stepwise.entry;

/** DJL must never reach the network: natives come from the jar, nothing is downloaded. */
final class Offline {
  private Offline() {}

  /** Sets {@code ai.djl.offline=true} unless the user set it explicitly. */
  static void enable() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }
}

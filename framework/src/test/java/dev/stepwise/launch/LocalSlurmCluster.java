package dev.stepwise.launch;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway single-node Slurm cluster on 127.0.0.1 that lives entirely in one directory: a
 * generated {@code slurm.conf} (free ports, state, spool, logs and pid files under the
 * directory, {@code SlurmUser=root}, {@code proctrack/linuxproc}, {@code task/none}, no cgroups,
 * no accounting), {@code slurmctld -D} and {@code slurmd -D} as child processes, and, when the
 * installed Slurm has no {@code auth/none} plugin (removed in Slurm 23.11), a private
 * {@code munged} with a random key. Client commands find it through {@link #env()}
 * ({@code SLURM_CONF}). {@link #close()} kills every daemon and its descendants.
 *
 * <p>Requires root (slurmd starts job steps as the submitting user) and Debian's
 * {@code slurm-wlm}; {@link #missing()} says what is absent.
 */
final class LocalSlurmCluster implements AutoCloseable {
  /** Where distributions install Slurm's plugins (Debian, RHEL, source builds). */
  private static final List<String> PLUGIN_DIRS = List.of("/usr/lib/x86_64-linux-gnu/slurm-wlm",
      "/usr/lib/aarch64-linux-gnu/slurm-wlm", "/usr/lib64/slurm", "/usr/lib/slurm", "/usr/local/lib/slurm");

  private final Path dir;
  private final Path conf;
  private final List<Process> daemons = new ArrayList<>();
  private final Map<String, Path> logs = new java.util.LinkedHashMap<>();

  private LocalSlurmCluster(Path dir) {
    this.dir = dir;
    this.conf = dir.resolve("slurm.conf");
  }

  /**
   * @return why no local cluster can start here (a missing command, not root), or null when it can
   */
  static String missing() {
    List<String> absent = new ArrayList<>();
    for (String exe : List.of("slurmctld", "slurmd", "sbatch", "sinfo")) {
      if (SlurmLauncher.onPath(exe) == null) absent.add(exe);
    }
    if (!absent.isEmpty()) {
      return "Slurm is not installed (no " + String.join("/", absent) + " on PATH; Debian: apt-get install "
          + "slurm-wlm): skipping the real single-node Slurm test";
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the local Slurm test must run as root (slurmd launches job steps with setuid), running as "
          + System.getProperty("user.name");
    }
    if (!hasAuthNone() && SlurmLauncher.onPath("munged") == null) {
      return "this Slurm has no auth/none plugin and munged is not on PATH (apt-get install munge)";
    }
    return null;
  }

  /**
   * @return whether an {@code auth_none.so} plugin is installed in a known plugin directory and
   *     {@code -Dslurm.test.munge=true} (which forces the munge path) is not set
   */
  static boolean hasAuthNone() {
    return !Boolean.getBoolean("slurm.test.munge")
        && PLUGIN_DIRS.stream().anyMatch(d -> Files.exists(Path.of(d, "auth_none.so")));
  }

  /**
   * Writes the config, starts the daemons and waits until {@code sinfo} shows the node idle.
   *
   * @param dir an empty private directory that holds everything
   * @param timeoutS how long to wait for the node to become idle
   * @return the running cluster
   * @throws IllegalStateException with the daemons' log tails when a daemon exits or the node
   *     never becomes idle (the cluster is closed first)
   */
  static LocalSlurmCluster start(Path dir, int timeoutS) throws IOException, InterruptedException {
    LocalSlurmCluster c = new LocalSlurmCluster(dir);
    try {
      c.launch(timeoutS);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void launch(int timeoutS) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("state"));
    Files.createDirectories(dir.resolve("spool"));
    String auth;
    if (hasAuthNone()) {
      auth = "AuthType=auth/none\nCredType=cred/none\n";
    } else {
      Path key = dir.resolve("munge.key");
      byte[] bytes = new byte[1024];
      new SecureRandom().nextBytes(bytes);
      Files.write(key, bytes);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      Path sock = dir.resolve("munge.sock");
      // -f: the JUnit temp dir is private (0700), which munged would otherwise refuse for its socket.
      daemon("munged", List.of("munged", "-F", "-f", "--key-file=" + key, "--socket=" + sock,
          "--pid-file=" + dir.resolve("munged.pid"), "--log-file=" + dir.resolve("munged.log"),
          "--seed-file=" + dir.resolve("munged.seed")));
      auth = "AuthType=auth/munge\nCredType=cred/munge\nAuthInfo=socket=" + sock + "\n";
      Thread.sleep(500);
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    Files.writeString(conf, String.join("\n",
        "# Generated by LocalSlurmCluster for one test run; everything lives in " + dir,
        "ClusterName=stepwisetest",
        "SlurmctldHost=localhost(127.0.0.1)",
        "SlurmctldPort=" + freePort(),
        "SlurmdPort=" + freePort(),
        auth.strip(),
        "SlurmUser=root",
        "SlurmdUser=root",
        "StateSaveLocation=" + dir.resolve("state"),
        "SlurmdSpoolDir=" + dir.resolve("spool"),
        "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
        "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
        "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
        "SlurmdLogFile=" + dir.resolve("slurmd.log"),
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core_Memory",
        "SchedulerType=sched/backfill",
        "MpiDefault=none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "ReturnToService=2",
        "NodeName=localhost NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + memoryMb() + " State=UNKNOWN",
        "PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP", ""));
    daemon("slurmctld", List.of("slurmctld", "-D", "-f", conf.toString()));
    daemon("slurmd", List.of("slurmd", "-D", "-N", "localhost", "-f", conf.toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
    String state = "";
    while (System.nanoTime() < deadline) {
      for (Process d : daemons) {
        if (!d.isAlive()) throw new IllegalStateException("a Slurm daemon exited (code " + d.exitValue() + ")\n" + logTails());
      }
      state = client("sinfo", "-h", "-N", "-o", "%T").strip();
      if (state.equals("idle")) return;
      Thread.sleep(250);
    }
    throw new IllegalStateException("node not idle after " + timeoutS + " s (sinfo: '" + state + "')\n" + logTails());
  }

  /** @return {@code SLURM_CONF} for client commands ({@code sbatch}, {@code sinfo}) */
  Map<String, String> env() {
    return Map.of("SLURM_CONF", conf.toString());
  }

  /** @return the generated {@code slurm.conf} */
  Path conf() {
    return conf;
  }

  /** Runs a client command against this cluster; @return its output (stdout and stderr) */
  String client(String... argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().putAll(env());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
    return out;
  }

  /** @return the last lines of every daemon's output and log file, for failure messages */
  String logTails() {
    StringBuilder b = new StringBuilder();
    List<Path> files = new ArrayList<>(logs.values());
    for (String f : List.of("slurmctld.log", "slurmd.log", "munged.log")) files.add(dir.resolve(f));
    for (Path f : files) {
      if (!Files.exists(f)) continue;
      try {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        b.append("--- ").append(f.getFileName()).append(" (last lines)\n");
        for (String l : lines.subList(Math.max(0, lines.size() - 12), lines.size())) b.append(l).append('\n');
      } catch (IOException | RuntimeException e) {
        b.append("--- ").append(f).append(": ").append(e).append('\n');
      }
    }
    return b.toString();
  }

  private void daemon(String name, List<String> argv) throws IOException {
    Path out = dir.resolve(name + ".out");
    logs.put(name, out);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env());
    daemons.add(pb.start());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** @return 90% of MemTotal in MiB (slurmd drains a node that reports less than RealMemory), at least 1024 */
  private static long memoryMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) return Math.max(1024, Long.parseLong(l.replaceAll("\\D", "")) / 1024 * 9 / 10);
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return 1024;
  }

  /** Stops the daemons (SIGTERM, then SIGKILL after 10 s) and any job processes they left. */
  @Override
  public void close() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).descendants().forEach(ProcessHandle::destroy);
      daemons.get(i).destroy();
    }
    for (Process d : daemons) {
      try {
        if (!d.waitFor(10, TimeUnit.SECONDS)) {
          d.descendants().forEach(ProcessHandle::destroyForcibly);
          d.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        d.destroyForcibly();
      }
    }
    daemons.clear();
  }
}

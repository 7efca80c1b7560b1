package dev.stepwise.loop;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.launch.ChildJvm;
import dev.stepwise.launch.JvmCommand;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sampler.jar job=loop}: runs {@code loop.setup} once, then {@code loop.stages} for {@code
 * loop.iterations} iterations, each stage as a child JVM ({@code java <this JVM's options> -jar
 * <jars_dir>/<jar>.jar -cp .. -cn .. <loop.common> <overrides> run.dir=<stage dir>}) with standard
 * streams inherited, in the loop's run directory ({@code run.dir}; set it to resume). A stage that
 * exits 0 gets the marker {@value StageRefs#DONE} ({@code done}, or {@code skipped: ...} when its
 * {@code when_nonempty} file was missing or empty) and a line in {@code stages.tsv} (stage, status,
 * wall seconds); a rerun skips marked stages, so after a {@code kill -9} it resumes at the first
 * unfinished one, which itself resumes from its own files (trainer checkpoints with {@code
 * trainer.resume=auto}, the samplers' appended JSONL). A stage that fails stops the loop with a
 * {@link UserError} naming its directory. The end prints the table ({@link LoopTable}), writes it
 * to {@code results.md}, and logs each iteration's row to the trackers (step = iteration).
 */
public final class LoopJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(LoopJob.class);
  private static final Set<String> JARS = Set.of("trainer", "sampler", "api-caller");

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    LoopConfig lc = cfg.bind("loop", LoopConfig.class);
    validate(lc, cfg.where("loop"));
    Path loopDir = ctx.dir().path();
    Path jars = jarsDir(lc);
    JvmCommand self = JvmCommand.current(LoopJob.class);
    String[] models = new String[lc.iterations() + 2];
    StageRefs refs = new StageRefs(loopDir, names(lc.setup()), names(lc.stages()), k -> models[k]);
    for (LoopStage s : lc.setup()) {
      runStage(refs, 0, s, lc, jars, self, loopDir);
    }
    models[1] = lc.model() == null ? null : refs.fill(lc.model(), 0, null, "loop.model");
    for (int k = 1; k <= lc.iterations(); k++) {
      Files.createDirectories(refs.iterationDir(k));
      if (models[k] != null) {
        Files.writeString(refs.iterationDir(k).resolve("model.txt"), models[k] + "\n");
      }
      LOG.info("=== iteration {} of {} (model: {}) ===", k, lc.iterations(), models[k]);
      for (LoopStage s : lc.stages()) {
        runStage(refs, k, s, lc, jars, self, loopDir);
      }
      models[k + 1] = lc.nextModel() == null ? models[k] : refs.fill(lc.nextModel(), k, null, "loop.next_model");
    }
    String table = LoopTable.render(refs, lc.iterations(), lc.table());
    Files.writeString(loopDir.resolve("results.md"), table);
    for (int k = 1; k <= lc.iterations(); k++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (LoopColumn c : lc.table()) {
        int it = k;
        LoopTable.summaryValue(refs.iterationDir(it).resolve(c.stage()).resolve("metrics.jsonl"), c.key())
            .filter(v -> v.isNumber())
            .ifPresent(v -> row.put("loop/" + c.column(), v.asDouble()));
      }
      ctx.tracker().log(k, row);
    }
    System.out.printf("%nLoop directory: %s%n%n%s", loopDir.toAbsolutePath(), table);
  }

  private static void runStage(StageRefs refs, int k, LoopStage s, LoopConfig lc, Path jars, JvmCommand self, Path loopDir)
      throws IOException, InterruptedException {
    Path dir = refs.iterationDir(k).resolve(s.name());
    String label = (k == 0 ? "setup" : "iter_" + k) + "/" + s.name();
    Path marker = dir.resolve(StageRefs.DONE);
    if (Files.isRegularFile(marker)) {
      LOG.info("=== {}: {} earlier, not run again ===", label, Files.readString(marker).strip());
      return;
    }
    if (s.whenNonempty() != null) {
      Path f = Path.of(refs.fill(s.whenNonempty(), k, dir, label + ".when_nonempty"));
      if (!Files.isRegularFile(f) || Files.size(f) == 0) {
        Files.createDirectories(dir);
        Files.writeString(marker, "skipped: " + f + " is missing or empty\n");
        record(loopDir, label, "skipped", 0);
        LOG.warn("=== {}: skipped, {} is missing or empty ===", label, f);
        return;
      }
    }
    List<String> argv = new ArrayList<>();
    argv.add(self.java());
    argv.addAll(self.jvmArgs());
    argv.add("-jar");
    argv.add(jars.resolve(s.jar() + ".jar").toString());
    argv.addAll(List.of("-cp", s.configPath(), "-cn", s.configName()));
    for (String o : lc.common()) {
      argv.add(refs.fill(o, k, dir, label));
    }
    for (String o : s.overrides()) {
      argv.add(refs.fill(o, k, dir, label));
    }
    argv.add("run.dir=" + dir);
    LOG.info("=== {} ===\n{}", label, JvmCommand.shellJoin(argv));
    long t0 = System.nanoTime();
    int rc = ChildJvm.run(argv, System.getenv());
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    if (rc != 0) {
      record(loopDir, label, "exit " + rc, seconds);
      throw new UserError("loop stage " + label + " failed with exit code " + rc + " (its run directory: " + dir
          + "); the same command resumes at this stage");
    }
    Files.createDirectories(dir);
    Files.writeString(marker, "done\n");
    record(loopDir, label, "done", seconds);
  }

  private static void record(Path loopDir, String label, String status, long seconds) throws IOException {
    Path tsv = loopDir.resolve("stages.tsv");
    if (!Files.exists(tsv)) {
      Files.writeString(tsv, "stage\tstatus\tseconds\n");
    }
    Files.writeString(tsv, label + "\t" + status + "\t" + seconds + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** @throws UserError on a bad iteration count, a bad or repeated stage name, an unknown jar or a column of no stage */
  static void validate(LoopConfig lc, String where) {
    if (lc.iterations() < 1) {
      throw new UserError("loop.iterations = " + lc.iterations() + " must be at least 1 (" + where + ")");
    }
    for (List<LoopStage> list : List.of(lc.setup(), lc.stages())) {
      Set<String> seen = new HashSet<>();
      for (LoopStage s : list) {
        if (s.name() == null || !s.name().matches("[A-Za-z0-9_-]+")) {
          throw new UserError("loop stage name '" + s.name() + "' must be letters, digits, _ or - (" + where + ")");
        }
        if (!seen.add(s.name())) {
          throw new UserError("loop stage name '" + s.name() + "' is used twice in one list (" + where + ")");
        }
        if (!JARS.contains(s.jar())) {
          throw new UserError("loop stage '" + s.name() + "': jar = " + s.jar() + " is not one of " + JARS
              + dev.stepwise.config.DidYouMean.hint(String.valueOf(s.jar()), JARS));
        }
      }
    }
    List<String> stageNames = names(lc.stages());
    for (LoopColumn c : lc.table()) {
      if (!stageNames.contains(c.stage())) {
        throw new UserError("loop.table column '" + c.column() + "': stage '" + c.stage() + "' is not in loop.stages " + stageNames
            + dev.stepwise.config.DidYouMean.hint(String.valueOf(c.stage()), stageNames));
      }
    }
  }

  private static List<String> names(List<LoopStage> stages) {
    return stages.stream().map(LoopStage::name).toList();
  }

  private static Path jarsDir(LoopConfig lc) {
    if (lc.jarsDir() != null) {
      return Path.of(lc.jarsDir());
    }
    String cp = System.getProperty("java.class.path", "");
    if (cp.endsWith(".jar") && !cp.contains(java.io.File.pathSeparator)) {
      Path parent = Path.of(cp).toAbsolutePath().getParent();
      if (parent != null) {
        return parent;
      }
    }
    return Path.of("entrypoints", "target");
  }
}

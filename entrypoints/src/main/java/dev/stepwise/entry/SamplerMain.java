package dev.stepwise.entry;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.stepwise.cli.Cli;
import dev.stepwise.cli.CliIo;
import dev.stepwise.inject.ExperimentsModule;
import dev.stepwise.launch.Relaunch;
import java.util.OptionalInt;
import dev.stepwise.inject.FrameworkModule;
import dev.stepwise.inject.RunLauncher;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepwise.config.Origins;
import dev.stepwise.inject.Registry;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.run.RunJob;

/**
 * {@code java -jar sampler.jar -cp conf/exp/sample/arith -cn tiny_sample
 * sample.model_path=CKPT [overrides...]}: samples solutions from a checkpoint into resumable
 * JSONL. The config key {@code job} (default {@code sample}) names the job to run from the
 * {@link SamplerJobs} registry.
 */
public final class SamplerMain {
  private SamplerMain() {}

  /**
   * Entry point; exit code 0 on success, 2 on a user error, 1 on a bug. Started without the Vector
   * API module, a command that samples runs in a child JVM that has it ({@link Relaunch}), whose
   * exit code this one exits with.
   */
  public static void main(String[] args) {
    OptionalInt child = Relaunch.ifNeeded(SamplerMain.class, args);
    System.exit(child.isPresent() ? child.getAsInt() : run(args, CliIo.system()));
  }

  /** @return the exit code (tests call this with their own streams) */
  public static int run(String[] args, CliIo io) {
    Offline.enable();
    return Cli.run(
        "sampler",
        args,
        cfg -> {
          Injector inj = Guice.createInjector(new FrameworkModule(cfg), new ExperimentsModule());
          Registry<RunJob> jobs = inj.getInstance(Key.get(new TypeLiteral<Registry<RunJob>>() {}, SamplerJobs.class));
          var c = cfg.config();
          String name = c.hasPath("job") ? c.getString("job") : "sample";
          RunJob job = jobs.get(name, c.hasPath("job") ? Origins.where(c, "job") : "the default job");
          inj.getInstance(RunLauncher.class).launch(job);
        },
        io,
            SamplerMain.class);
  }
}

package dev.stepwise.entry;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepwise.caller.CallerJobs;
import dev.stepwise.caller.CallerLauncher;
import dev.stepwise.cli.Cli;
import dev.stepwise.cli.CliIo;
import dev.stepwise.config.Origins;
import dev.stepwise.inject.ExperimentsModule;
import dev.stepwise.inject.FrameworkModule;
import dev.stepwise.inject.Registry;
import dev.stepwise.run.RunJob;

/**
 * {@code java -jar api-caller.jar -cp conf/exp/sample/arith -cn tiny_api_sample [overrides...]}:
 * samples (job {@code sample}, the default) or judges (job {@code judge}) through
 * OpenAI-compatible APIs. Needs no tensor engine.
 */
public final class ApiCallerMain {
  private ApiCallerMain() {}

  /** Entry point; exit code 0 on success, 2 on a user error, 1 on a bug. */
  public static void main(String[] args) {
    System.exit(run(args, CliIo.system()));
  }

  /** @return the exit code (tests call this with their own streams) */
  public static int run(String[] args, CliIo io) {
    return Cli.run(
        "api-caller",
        args,
        cfg -> {
          Injector inj = Guice.createInjector(new FrameworkModule(cfg), new ExperimentsModule());
          Registry<RunJob> jobs = inj.getInstance(Key.get(new TypeLiteral<Registry<RunJob>>() {}, CallerJobs.class));
          var c = cfg.config();
          String name = c.hasPath("job") ? c.getString("job") : "sample";
          RunJob job = jobs.get(name, c.hasPath("job") ? Origins.where(c, "job") : "the default job");
          inj.getInstance(CallerLauncher.class).launch(job);
        },
        io);
  }
}

package dev.stepwise.entry;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepwise.cli.Cli;
import dev.stepwise.cli.CliIo;
import dev.stepwise.config.Origins;
import dev.stepwise.inject.ExperimentsModule;
import dev.stepwise.launch.Relaunch;
import java.util.OptionalInt;
import dev.stepwise.inject.FrameworkModule;
import dev.stepwise.inject.Registry;
import dev.stepwise.inject.RunLauncher;
import dev.stepwise.run.RunJob;

/**
 * {@code java -jar trainer.jar -cp conf/exp/sft/arith -cn tiny_sft [overrides...]}: composes the
 * config, builds the injector and runs the job named by the config's {@code objective}.
 */
public final class TrainerMain {
  private TrainerMain() {}

  /**
   * Entry point; exit code 0 on success, 2 on a user error, 1 on a bug. Started without the Vector
   * API module, a command that samples runs in a child JVM that has it ({@link Relaunch}), whose
   * exit code this one exits with.
   */
  public static void main(String[] args) {
    OptionalInt child = Relaunch.ifNeeded(TrainerMain.class, args);
    System.exit(child.isPresent() ? child.getAsInt() : run(args, CliIo.system()));
  }

  /**
   * Runs the trainer CLI with the given streams and environment (tests call this).
   *
   * @return the exit code: 0 success, 2 user error, 1 bug
   */
  public static int run(String[] args, CliIo io) {
    Offline.enable();
    return Cli.run(
            "trainer",
            args,
            cfg -> {
              Injector inj = Guice.createInjector(new FrameworkModule(cfg), new ExperimentsModule());
              Registry<RunJob> jobs = inj.getInstance(Key.get(new TypeLiteral<Registry<RunJob>>() {}));
              var c = cfg.config();
              RunJob job = jobs.get(c.getString("objective"), Origins.where(c, "objective"));
              inj.getInstance(RunLauncher.class).launch(job);
            },
            io,
            TrainerMain.class);
  }
}

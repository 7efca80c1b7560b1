package dev.stepwise.entry;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.stepwise.cli.Cli;
import dev.stepwise.cli.CliIo;
import dev.stepwise.inject.ExperimentsModule;
import dev.stepwise.inject.FrameworkModule;
import dev.stepwise.inject.RunLauncher;
import dev.stepwise.sample.SampleJob;

/**
 * {@code java -jar sampler.jar -cp conf/exp/sample/arith -cn tiny_sample
 * sample.model_path=CKPT [overrides...]}: samples solutions from a checkpoint into resumable
 * JSONL.
 */
public final class SamplerMain {
  private SamplerMain() {}

  /** Entry point; exit code 0 on success, 2 on a user error, 1 on a bug. */
  public static void main(String[] args) {
    System.exit(run(args, CliIo.system()));
  }

  /** @return the exit code (tests call this with their own streams) */
  public static int run(String[] args, CliIo io) {
    Offline.enable();
    return Cli.run(
        "sampler",
        args,
        cfg -> {
          Injector inj = Guice.createInjector(new FrameworkModule(cfg), new ExperimentsModule());
          inj.getInstance(RunLauncher.class).launch(inj.getInstance(SampleJob.class));
        },
        io);
  }
}

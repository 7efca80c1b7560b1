package dev.stepwise.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: writes real config files below a temporary conf root. */
public final class ConfFiles {
  private ConfFiles() {}

  /** Writes {@code text} to {@code root/rel}, creating directories; returns the file. */
  public static Path write(Path root, String rel, String text) {
    try {
      Path f = root.resolve(rel);
      Files.createDirectories(f.getParent());
      Files.writeString(f, text);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A small conf tree like the project's: root config.conf, groups model (2 options, one with a
   * nested tokenizer default), optim, trainer, and the primary exp/sft/arith/tiny_sft.conf.
   */
  public static Path standardTree(Path root) {
    write(root, "config.conf", "seed = 1\nrun_dir = \"outputs/\"${name}\nname = root\n");
    write(root, "model/gpt2_tiny.conf", "defaults = [{tokenizer: char}, _self_]\nfamily = gpt2\nn_embd = 32\nn_layer = 2\n");
    write(root, "model/gpt2_small.conf", "family = gpt2\nn_embd = 768\nn_layer = 12\n");
    write(root, "model/tokenizer/char.conf", "kind = char\nvocab = 64\n");
    write(root, "model/tokenizer/bpe.conf", "kind = bpe\nvocab = 50257\n");
    write(root, "optim/adamw.conf", "lr = 1e-4\nweight_decay = 0.0\nbetas = [0.9, 0.999]\n");
    write(root, "optim/sgd.conf", "lr = 0.1\n");
    write(root, "trainer/default.conf", "max_steps = 100\nbatch_size = 8\nlog_every = 10\n");
    write(root, "tracker/console.conf", "kind = console\n");
    write(root, "exp/sft/arith/tiny_sft.conf", String.join("\n",
        "defaults = [{model: gpt2_tiny}, {optim: adamw}, {trainer: default}, _self_]",
        "name = tiny_sft",
        "trainer {",
        "  max_steps = 5",
        "}",
        "optim.lr = 3e-4",
        ""));
    return root.resolve("exp/sft/arith");
  }
}

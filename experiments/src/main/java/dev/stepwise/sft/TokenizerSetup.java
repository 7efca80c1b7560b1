package dev.stepwise.sft;

import dev.stepwise.config.UserError;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.HfTokenizer;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the tokenizer a fresh model is trained with (a checkpoint carries its own). */
public final class TokenizerSetup {
  private TokenizerSetup() {}

  /**
   * @param cfg the tokenizer config
   * @param task the task whose train and test texts define the character vocabulary
   * @param train the training problems
   * @param test the held-out problems
   * @return the tokenizer
   * @throws UserError for an unknown kind or a missing {@code tokenizer.json}
   * @throws java.io.IOException when DJL cannot load a {@code tokenizer.json}
   */
  public static Tokenizer build(TokenizerConfig cfg, Task task, List<Problem> train, List<Problem> test)
      throws java.io.IOException {
    switch (cfg.kind()) {
      case "char" -> {
        List<String> texts = new ArrayList<>();
        for (Problem p : train) {
          texts.add(task.prompt(p));
          texts.add(task.target(p));
        }
        for (Problem p : test) {
          texts.add(task.prompt(p));
        }
        return CharTokenizer.fromTexts(texts);
      }
      case "hf" -> {
        if (cfg.path() == null || !Files.exists(Path.of(cfg.path()))) {
          throw new UserError("tokenizer.path: no tokenizer.json at '" + cfg.path() + "' (set tokenizer.path or STEPWISE_DATA)");
        }
        return HfTokenizer.load(Path.of(cfg.path()));
      }
      default -> throw new UserError("Unknown tokenizer.kind '" + cfg.kind() + "'. Available: char, hf");
    }
  }
}

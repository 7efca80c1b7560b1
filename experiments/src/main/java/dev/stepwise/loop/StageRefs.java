package dev.stepwise.loop;

import dev.stepwise.config.UserError;
import dev.stepwise.train.CheckpointManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of a loop's overrides, filled in one pass (a value containing a placeholder is
 * left alone):
 *
 * <ul>
 *   <li>{@code {iter}}: the iteration k (1-based; 0 in setup), {@code {prev_iter}}: k-1
 *   <li>{@code {dir}}: this stage's directory; {@code {loop_dir}}: the loop's directory
 *   <li>{@code {model}}: the iteration's model ({@code loop.model} for k = 1, then {@code
 *       loop.next_model} of iteration k-1); an error in setup
 *   <li>{@code {stage:REF}}: a stage's directory; {@code {ckpt:REF}}: the newest complete
 *       checkpoint of a finished trainer stage (its {@code actor/} or {@code policy/}
 *       sub-directory when that holds the model's {@code config.json}), or, when that stage was
 *       skipped ({@link LoopStage#whenNonempty}), the model of its iteration (nothing was trained)
 * </ul>
 *
 * {@code REF} is {@code NAME} (this iteration's stage; in setup, a setup stage), {@code
 * setup/NAME}, {@code prev/NAME} (iteration k-1; an error in iteration 1) or {@code
 * iter_<j>/NAME}. Other brace pairs (e.g. a HOCON object in an override) are kept as written.
 */
public final class StageRefs {
  private static final Pattern REF = Pattern.compile("\\{(iter|prev_iter|dir|loop_dir|model|(stage|ckpt):([^{}]+))\\}");

  /** Name of the marker file of a finished stage (the one the pipeline scripts use). */
  public static final String DONE = ".stage-done";

  private final Path loopDir;
  private final List<String> setupNames;
  private final List<String> stageNames;
  private final IntFunction<String> modelOf;

  /**
   * @param loopDir the loop's directory
   * @param setupNames the names of {@code loop.setup}
   * @param stageNames the names of {@code loop.stages}
   * @param modelOf the model of iteration k (k &gt;= 1), or null when unknown
   */
  public StageRefs(Path loopDir, List<String> setupNames, List<String> stageNames, IntFunction<String> modelOf) {
    this.loopDir = loopDir;
    this.setupNames = setupNames;
    this.stageNames = stageNames;
    this.modelOf = modelOf;
  }

  /** @return {@code <loop>/setup} for k = 0, else {@code <loop>/iter_<k>} */
  public Path iterationDir(int k) {
    return loopDir.resolve(k == 0 ? "setup" : "iter_" + k);
  }

  /**
   * @param text an override or file name with placeholders
   * @param k the iteration (0 = setup)
   * @param stageDir this stage's directory ({@code {dir}}), or null outside a stage
   * @param where what is being filled, for messages (e.g. {@code iter_2/dpo})
   * @return the text with every placeholder replaced
   * @throws UserError on an unknown stage, {@code prev/} in iteration 1, {@code {model}} in
   *     setup or unset, or a {@code {ckpt:...}} of a stage that has not finished or has no checkpoint
   */
  public String fill(String text, int k, Path stageDir, String where) {
    Matcher m = REF.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "iter" -> String.valueOf(k);
        case "prev_iter" -> String.valueOf(k - 1);
        case "loop_dir" -> loopDir.toString();
        case "dir" -> {
          if (stageDir == null) {
            throw new UserError(where + ": {dir} means a stage's own directory; use {stage:NAME} here");
          }
          yield stageDir.toString();
        }
        case "model" -> model(k, where);
        default -> {
          Ref r = ref(m.group(3).strip(), k, where);
          yield m.group(2).equals("stage") ? r.dir().toString() : checkpoint(r, where);
        }
      };
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String model(int k, String where) {
    if (k == 0) {
      throw new UserError(where + ": {model} is the model of an iteration, not of setup; use {ckpt:setup/NAME} or a path");
    }
    String model = modelOf.apply(k);
    if (model == null) {
      throw new UserError(where + ": {model} is used but loop.model is not set");
    }
    return model;
  }

  /** A resolved reference: the stage's iteration and directory. */
  private record Ref(int iteration, Path dir) {}

  private Ref ref(String ref, int k, String where) {
    int slash = ref.indexOf('/');
    String scope = slash < 0 ? (k == 0 ? "setup" : "") : ref.substring(0, slash);
    String name = ref.substring(slash + 1);
    int j;
    if (scope.equals("setup")) {
      j = 0;
    } else if (scope.isEmpty()) {
      j = k;
    } else if (scope.equals("prev")) {
      if (k <= 1) {
        throw new UserError(where + ": '" + ref + "' refers to the previous iteration, but this is " + (k == 0 ? "setup" : "iteration 1"));
      }
      j = k - 1;
    } else if (scope.matches("iter_[1-9][0-9]*")) {
      j = Integer.parseInt(scope.substring(5));
    } else {
      throw new UserError(where + ": '" + ref + "': a stage reference is NAME, setup/NAME, prev/NAME or iter_<k>/NAME");
    }
    List<String> names = j == 0 ? setupNames : stageNames;
    if (!names.contains(name)) {
      throw new UserError(where + ": '" + ref + "' names no stage of " + (j == 0 ? "loop.setup " : "loop.stages ") + names
          + dev.stepwise.config.DidYouMean.hint(name, names));
    }
    return new Ref(j, iterationDir(j).resolve(name));
  }

  private String checkpoint(Ref r, String where) {
    Path marker = r.dir().resolve(DONE);
    if (!Files.isRegularFile(marker)) {
      throw new UserError(where + ": {ckpt:...} of " + r.dir() + ", a stage that has not finished (no " + DONE + ")");
    }
    try {
      if (Files.readString(marker).startsWith("skipped")) {
        return model(r.iteration(), where);
      }
      Optional<Path> ck = new CheckpointManager(r.dir()).latestComplete();
      if (ck.isEmpty()) {
        throw new UserError(where + ": " + r.dir() + " has no complete checkpoint under checkpoints/ (is it a trainer stage?)");
      }
      for (String sub : List.of("actor", "policy")) {
        if (Files.isRegularFile(ck.get().resolve(sub).resolve("config.json"))) {
          return ck.get().resolve(sub).toString();
        }
      }
      return ck.get().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

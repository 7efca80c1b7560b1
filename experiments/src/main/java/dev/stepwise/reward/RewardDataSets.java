package dev.stepwise.reward;

import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.reward.data.LabelType;
import dev.stepwise.reward.data.LabelledResponse;
import dev.stepwise.reward.data.OutcomeLabels;
import dev.stepwise.reward.data.QuestionSplit;
import dev.stepwise.reward.data.RewardData;
import dev.stepwise.reward.data.RolloutLabels;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The train and eval {@link RewardData} of a reward run and the head they need.
 *
 * @param train training examples
 * @param eval held-out examples, or null when none
 * @param headSpec scalar for orm/soft/hard/outcome labels, k+1 classes for {@code classes}
 */
public record RewardDataSets(RewardData train, RewardData eval, HeadSpec headSpec) {

  /**
   * Reads {@code reward.train_file} (and {@code eval_file}) as {@code reward.source} says, labels
   * it for the objective, splits by question when there is no eval file, and tokenises.
   *
   * @param objective {@code orm} or {@code prm}
   * @throws UserError for a missing file, an unknown objective, a {@code classes} PRM on samples,
   *     or a training set without any label
   */
  public static RewardDataSets build(String objective, RewardConfig rc, LabelType labelType, Task task, Tokenizer tok, int ctxLen) {
    if (!objective.equals("orm") && !objective.equals("prm")) {
      throw new UserError("reward job: unknown objective '" + objective + "' (orm, prm)");
    }
    String source = rc.source() != null ? rc.source() : objective.equals("orm") ? "samples" : "rollouts";
    if (rc.trainFile() == null) {
      throw new UserError("reward.train_file is required (a " + source + " JSONL)");
    }
    if (objective.equals("orm") && source.equals("rollouts")) {
      throw new UserError("reward.source = rollouts: an ORM trains on samples (outcome labels)");
    }
    HeadSpec spec;
    if (objective.equals("orm")) {
      spec = new HeadSpec("scalar", 1, "orm", "outcome");
    } else if (source.equals("samples")) {
      if (labelType == LabelType.CLASSES) {
        throw new UserError("reward.label_type = classes needs rollouts (Monte Carlo values), not samples");
      }
      spec = new HeadSpec("scalar", 1, "prm", rc.stepLabels());
    } else if (labelType == LabelType.CLASSES) {
      int c = rc.numClasses() > 0 ? rc.numClasses() : RolloutLabels.maxRollouts(Path.of(rc.trainFile())) + 1;
      if (c < 2) {
        throw new UserError(rc.trainFile() + ": no record has completions; set reward.num_classes = k+1");
      }
      spec = new HeadSpec("classes", c, "prm", "classes");
    } else {
      spec = new HeadSpec("scalar", 1, "prm", labelType.name().toLowerCase(java.util.Locale.ROOT));
    }
    List<LabelledResponse> train = read(objective, source, rc, labelType, task, Path.of(rc.trainFile()));
    List<LabelledResponse> eval = null;
    if (rc.evalFile() != null) {
      eval = read(objective, source, rc, labelType, task, Path.of(rc.evalFile()));
    } else if (rc.evalFraction() > 0) {
      Set<String> held = QuestionSplit.heldOut(train.stream().map(LabelledResponse::id).toList(), rc.evalFraction(), rc.splitSeed());
      eval = QuestionSplit.filter(train, LabelledResponse::id, held, true);
      train = QuestionSplit.filter(train, LabelledResponse::id, held, false);
    }
    RewardData trainData = RewardData.of(train, tok, ctxLen, spec.numClasses());
    if (trainData == null) {
      throw new UserError(rc.trainFile() + ": no labelled step fits the context (" + train.size() + " responses)");
    }
    RewardData evalData = eval == null ? null : RewardData.of(eval, tok, ctxLen, spec.numClasses());
    return new RewardDataSets(trainData, evalData, spec);
  }

  private static List<LabelledResponse> read(String objective, String source, RewardConfig rc, LabelType type, Task task, Path file) {
    if (source.equals("rollouts")) {
      return RolloutLabels.read(file, type);
    }
    List<SampleRecord> recs = JsonlReader.readAll(file, SampleRecord.class);
    return objective.equals("orm")
        ? OutcomeLabels.orm(recs, task)
        : OutcomeLabels.steps(recs, task, rc.stepLabels().equals("calculator"));
  }
}

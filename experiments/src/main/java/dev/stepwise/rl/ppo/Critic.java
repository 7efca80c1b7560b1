package dev.stepwise.rl.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.stepwise.config.UserError;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.HeadType;
import dev.stepwise.reward.model.RewardModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PPO's value model: a GPT-2 trunk of its own with a scalar head on every position (TRL's value
 * model, {@code AutoModelForSequenceClassification(num_labels=1)} used per token). {@code
 * ppo.critic_init}: {@code prm} starts from the PRM's trunk (and its head when it is scalar, as
 * TRL starts the value model from the reward model), {@code policy} from the SFT checkpoint with
 * a new head (W ~ N(0, initializer_range²), b = 0). The value of response token t is read at the
 * input position where t is chosen (the position whose logits give t's log-probability).
 *
 * <p>Parameters are exposed with the prefix {@code critic.} so they can share one optimizer with
 * the actor's (TRL's {@code PolicyAndValueWrapper}). Saved as a reward-model directory.
 */
public final class Critic {
  /** Prefix of the critic's parameter names in the joint parameter map. */
  public static final String PREFIX = "critic.";
  private static final HeadSpec VALUE = new HeadSpec("scalar", 1, "value", "value");

  private final RewardModel model;

  private Critic(RewardModel model) {
    this.model = model;
  }

  /**
   * @param init {@code prm} or {@code policy}
   * @param prmDir the PRM directory (for {@code prm})
   * @param policyDir the SFT checkpoint (for {@code policy})
   * @param manager owns the parameters
   * @param seed the new head's initialisation
   * @throws UserError for another init name
   */
  public static Critic create(String init, Path prmDir, Path policyDir, NDManager manager, long seed) throws IOException {
    return create(init, prmDir, policyDir, manager, seed, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #create(String, Path, Path, NDManager, long)}, with {@code trunk} applied to the
   * critic's transformer once loaded (LoRA: a LoRA adapter of its own, the value head in full).
   */
  public static Critic create(String init, Path prmDir, Path policyDir, NDManager manager, long seed,
      java.util.function.UnaryOperator<CausalLM> trunk) throws IOException {
    return switch (init) {
      case "prm" -> {
        HeadSpec spec = HeadSpec.read(prmDir);
        if (spec.headType() == HeadType.SCALAR) {
          RewardModel rm = RewardModel.load(prmDir, manager);
          rm.parameters().values().forEach(a -> a.setRequiresGradient(true));
          yield new Critic(rm.withLm(trunk));
        }
        yield of(trunk.apply(ModelCheckpoint.load(prmDir, manager)), manager, seed);
      }
      case "policy" -> of(trunk.apply(ModelCheckpoint.load(policyDir, manager)), manager, seed);
      default -> throw new UserError("ppo.critic_init = '" + init + "' is unknown (prm, policy)");
    };
  }

  /** @return a critic with a new scalar head on {@code trunk} */
  public static Critic of(CausalLM trunk, NDManager manager, long seed) {
    return new Critic(RewardModel.create(trunk, VALUE, manager, seed));
  }

  /**
   * @param inputIds (N, T) int64
   * @param attentionMask (N, T) 1 = real token
   * @return (N, T) float32 values, differentiable when the parameters are
   */
  public NDArray values(NDArray inputIds, NDArray attentionMask) {
    return model.logits(inputIds, attentionMask).get(new NDIndex("..., 0"));
  }

  /** @return the parameters named {@code critic.<name>} (live arrays) */
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    model.parameters().forEach((k, v) -> out.put(PREFIX + k, v));
    return out;
  }

  /** Writes the critic as a reward-model directory. */
  public void save(Path dir, Tokenizer tok) throws IOException {
    model.save(dir, tok);
  }

  /** Overwrites the parameters from a directory written by {@link #save}. */
  public void loadInto(Path dir) throws IOException {
    model.loadInto(dir);
  }

  /** @return the wrapped model */
  public RewardModel model() {
    return model;
  }
}

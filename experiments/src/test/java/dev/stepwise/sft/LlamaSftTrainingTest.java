package dev.stepwise.sft;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import dev.stepwise.train.ParameterCheckpoint;
import dev.stepwise.train.TinyModels;
import dev.stepwise.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SFT of the real pretrained stories260K (Llama architecture, its own BPE tokenizer) on arith
 * problems through the libtorch graph: the loss falls, every parameter moves, and afterwards the
 * Java decoder (which snapshots the weights) decodes with the trained weights, agreeing with
 * the graph.
 */
class LlamaSftTrainingTest {
  @TempDir Path out;

  @Test
  void pretrainedLlamaFineTunes() throws Exception {
    Path dir = dev.stepwise.model.SharedModels.stories260k();
    ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 200, 10, 7L));
    List<Problem> train = task.problems("train", 0);
    Tokenizer tok = Tokenizers.load(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = ModelCheckpoint.load(dir, m);
      NDArray probe = m.create(new long[][] {java.util.Arrays.stream(tok.encodePrompt("12 + 30 = 42")).asLongStream().toArray()});
      float[] javaBefore = lastLogits(model, probe, m);
      Map<String, float[]> before = TinyModels.snapshot(model.parameters());
      var tracker = new TinyModels.RecordingTracker();
      new Trainer<>(
              TinyModels.trainerConfig("max_steps = 40, per_device_train_batch_size = 8, logging_steps = 10, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 3e-3, lr_scheduler_type = constant, weight_decay = 0.01"),
              model.parameters(),
              new SftObjective(model),
              SftData.of(task, train, tok, model.config().nPositions()),
              new ParameterCheckpoint(model.parameters()),
              out)
          .withTrackers(List.of(tracker))
          .train();
      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertTrue(loss.get(loss.size() - 1) < 0.6 * loss.get(0), "loss did not fall: " + loss);
      Map<String, float[]> after = TinyModels.snapshot(model.parameters());
      for (String name : before.keySet()) {
        assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), name + " did not change");
      }
      float[] javaAfter = lastLogits(model, probe, m);
      float[] graph = model.logits(((dev.stepwise.model.llama.LlamaModel) model).hiddenStates(probe, null)).toFloatArray();
      assertFalse(java.util.Arrays.equals(javaBefore, javaAfter), "the Java decoder still uses the old weights");
      int v = model.config().vocabSize();
      int t = (int) probe.getShape().get(1);
      for (int k = 0; k < v; k++) {
        assertEquals(graph[(t - 1) * v + k], javaAfter[k], 1e-4, "Java decoder vs forward after training, id " + k);
      }
    }
  }

  private static float[] lastLogits(CausalLM model, NDArray ids, NDManager m) {
    try (KvCache cache = model.newCache(m, 1, (int) ids.getShape().get(1))) {
      return model.decodeLast(ids, null, cache).toFloatArray();
    }
  }
}

package dev.stepwise.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.config.UserError;
import dev.stepwise.model.AdaptableLM;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.HfDirs;
import dev.stepwise.model.HfWeights;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ParameterVersion;
import dev.stepwise.model.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Folding a LoRA adapter into its base: W ← W + s·B·A (transposed for GPT-2's (in, out)
 * weights), PEFT's {@code merge_and_unload()}. Used to load an adapter directory as a plain model
 * ({@link ModelCheckpoint#load} of a directory with {@code adapter_config.json}) and by the
 * {@code merge} job, which writes a full Hugging Face checkpoint.
 */
public final class LoraMerge {
  private LoraMerge() {}

  /**
   * Writes the merged weights into the base's parameters in place and removes the adapter.
   *
   * @return the base model, now computing what {@code model} computed with its adapter on; its
   *     parameters are frozen (call {@code setTrainable(true)} to train it in full)
   */
  public static AdaptableLM fold(LoraModel model) {
    AdaptableLM base = model.base();
    Map<String, NDArray> p = base.parameters();
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager tmp = p.values().iterator().next().getManager().newSubManager()) {
      for (LoraModel.Adapted ad : model.adapted().values()) {
        NDArray w = p.get(ad.module().weight());
        w.set(new NDIndex("..."), model.mergedWeight(ad, w, tmp));
      }
    } finally {
      JniUtils.setGradMode(grad);
      ParameterVersion.bumpLoad();
    }
    base.setAdapter(null);
    return base;
  }

  /**
   * The base directory an adapter names ({@code base_model_name_or_path}): an absolute path, or
   * one relative to the adapter directory or to the working directory.
   *
   * @throws UserError when the field is null or names no local directory (e.g. a hub id)
   */
  public static Path basePath(Path adapterDir) throws IOException {
    PeftAdapter.Settings s = PeftAdapter.readSettings(adapterDir);
    Path f = adapterDir.resolve(PeftAdapter.CONFIG);
    if (s.baseModel() == null || s.baseModel().isBlank()) {
      throw new UserError(f + ": base_model_name_or_path is null; give the base model's directory (merge job: base=<dir>)");
    }
    Path p = Path.of(s.baseModel());
    if (!p.isAbsolute() && Files.isDirectory(adapterDir.resolve(p))) {
      return adapterDir.resolve(p);
    }
    if (!Files.isDirectory(p)) {
      throw new UserError(f + ": base_model_name_or_path '" + s.baseModel() + "' is not a local directory (a hub id?);"
          + " download the base model and merge with the merge job's base=<dir>");
    }
    return p;
  }

  /**
   * Loads the base model and folds the adapter of {@code adapterDir} into it.
   *
   * @param base the base model directory, or null for the adapter's {@code base_model_name_or_path}
   * @param manager parent manager of the model's arrays
   * @return a plain model (trainable), equal to base-plus-adapter
   */
  public static CausalLM loadMerged(Path adapterDir, Path base, NDManager manager) throws IOException {
    Path b = base != null ? base : basePath(adapterDir);
    CausalLM model = ModelCheckpoint.load(b, manager);
    LoraModel lora = PeftAdapter.load(adapterDir, model, b.toAbsolutePath().normalize().toString());
    AdaptableLM merged = fold(lora);
    merged.setTrainable(true);
    return merged;
  }

  /**
   * The {@code merge} job's work: writes {@code out/model.safetensors} (float32, the base model's
   * tensor names, adapter folded in) and copies every other file of the base directory except
   * weights ({@code config.json}, tokenizer files, {@code generation_config.json}, ...). A base
   * that is itself an adapter directory (DPO after LoRA-SFT) is loaded with its adapter folded
   * in, and the files come from the full model at the end of its {@code base_model_name_or_path}
   * chain.
   *
   * @return the number of adapted modules folded in
   * @throws UserError when a directory or file is missing or does not match
   */
  public static int merge(Path base, Path adapter, Path out) throws IOException {
    Path b = HfDirs.resolve(base);
    if (!PeftAdapter.isAdapterDir(adapter)) {
      throw new UserError(adapter.resolve(PeftAdapter.CONFIG) + ": missing; adapter= must be a PEFT adapter directory");
    }
    if (Files.exists(out.resolve(ModelCheckpoint.WEIGHTS))) {
      throw new UserError(out.resolve(ModelCheckpoint.WEIGHTS) + " exists; choose an empty out= directory");
    }
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = ModelCheckpoint.load(b, m);
      LoraModel lora = PeftAdapter.load(adapter, model, b.toAbsolutePath().normalize().toString());
      int n = lora.adaptedModules().size();
      AdaptableLM merged = fold(lora);
      Files.createDirectories(out);
      Path full = b;
      while (ModelCheckpoint.isAdapterOnly(full)) { // a base that is itself an adapter (DPO after LoRA-SFT): its own base's files
        full = basePath(full);
      }
      try (Stream<Path> files = Files.list(HfDirs.resolve(full))) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (Files.isRegularFile(f) && !name.endsWith(".safetensors") && !name.equals(HfWeights.INDEX)
              && !name.endsWith(".bin") && !name.endsWith(".pt") && !name.endsWith(".pth")) {
            Files.copy(f, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Safetensors.write(out.resolve(ModelCheckpoint.WEIGHTS), merged.parameters(), Map.of("format", "pt"));
      return n;
    }
  }
}

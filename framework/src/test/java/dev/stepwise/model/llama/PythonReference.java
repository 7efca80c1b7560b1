package dev.stepwise.model.llama;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent NumPy reference of the Llama family ({@code src/test/python/llama_ref.py})
 * for parity tests: it writes random Hugging Face model directories and computes their logits in
 * float64. Tests skip with a message when no Python with NumPy is found ({@code scripts/ci/test-deps.sh}
 * installs Debian's {@code python3-numpy} for CI).
 */
final class PythonReference {
  static final Path SCRIPT = Path.of("src/test/python/llama_ref.py").toAbsolutePath();
  private static String python;

  private PythonReference() {}

  /** @return a Python 3 with NumPy; skips the calling test when there is none */
  static synchronized String python() {
    if (python == null) {
      for (String candidate : new String[] {"python3", "/usr/bin/python3", "python"}) {
        try {
          Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
          if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
            python = candidate;
            break;
          }
        } catch (IOException | InterruptedException e) {
          // try the next one
        }
      }
      if (python == null) {
        python = "";
      }
    }
    assumeTrue(!python.isEmpty(), "no python3 with numpy found (scripts/ci/test-deps.sh installs it); skipping the reference comparison");
    return python;
  }

  /** Runs {@code llama_ref.py args...}; returns stdout; fails with stderr on a non-zero exit. */
  static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python(), SCRIPT.toString()));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("llama_ref", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("llama_ref.py " + String.join(" ", args) + " failed: " + Files.readString(err));
    }
    Files.deleteIfExists(err);
    return out;
  }

  /** Writes a random model directory of {@code variant}. */
  static Path make(Path dir, String variant, String dtype, int seed, int shards) throws Exception {
    run("make", "--dir", dir.toString(), "--variant", variant, "--dtype", dtype, "--seed", String.valueOf(seed),
        "--shards", String.valueOf(shards));
    return dir;
  }

  /**
   * @param ids (B, T) token ids
   * @param mask (B, T) or null
   * @return the reference logits (B·T·V) row-major
   */
  static float[] forward(Path dir, long[][] ids, long[][] mask) throws Exception {
    return forward(dir, ids, mask, null);
  }

  /** Writes a PEFT LoRA adapter with random A and B for the model in {@code dir}. */
  static Path makeAdapter(Path dir, Path adapter, String targets, int r, double alpha, int seed) throws Exception {
    run("make-adapter", "--dir", dir.toString(), "--adapter", adapter.toString(), "--targets", targets,
        "--r", String.valueOf(r), "--alpha", String.valueOf(alpha), "--seed", String.valueOf(seed));
    return adapter;
  }

  /**
   * @param adapter a PEFT LoRA adapter directory applied by the reference, or null
   * @return the reference logits (B·T·V) row-major
   */
  static float[] forward(Path dir, long[][] ids, long[][] mask, Path adapter) throws Exception {
    StringBuilder json = new StringBuilder("{\"ids\": ").append(rows(ids));
    if (mask != null) {
      json.append(", \"mask\": ").append(rows(mask));
    }
    json.append('}');
    Path in = Files.createTempFile("ids", ".json");
    Path out = Files.createTempFile("logits", ".f32");
    Files.writeString(in, json);
    if (adapter == null) {
      run("forward", "--dir", dir.toString(), "--ids", in.toString(), "--out", out.toString());
    } else {
      run("forward", "--dir", dir.toString(), "--ids", in.toString(), "--out", out.toString(), "--adapter", adapter.toString());
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  private static String rows(long[][] a) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      s.append(i == 0 ? "" : ",").append(java.util.Arrays.toString(a[i]));
    }
    return s.append(']').toString();
  }
}

package dev.stepwise.model;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript class written by Stepwise (its source is a Java string), compiled by libtorch and
 * run with one JNI call per method call.
 *
 * <p>Why: a decode step of a small model is ~100 tensor ops; from Java each op is a JNI call with
 * wrapper bookkeeping (several µs), which caps batch-1 decoding far below what the arithmetic
 * allows (DESIGN.md, "One op, one JNI call"). Inside TorchScript the ops are dispatched by
 * libtorch's interpreter in C++. The math stays ours: the source is Stepwise code, tested against
 * the plain-DJL forward.
 *
 * <p>How: {@link #compile} writes the archive {@code torch.jit.load} reads — {@code
 * <name>/version}, {@code <name>/constants.pkl} (an empty tuple), {@code <name>/data.pkl} (a
 * pickled instance of the class with {@code training = False}) and {@code
 * <name>/code/__torch__.py} (the class, in the serialized-TorchScript dialect: {@code class
 * X(Module)} with {@code __parameters__ = []}, typed {@code self: __torch__.X}, no imports) — to
 * a temporary file and loads it through DJL. File-format version 10 enables current operator
 * schemas (e.g. {@code gelu(approximate=)}). Weights are passed as arguments ({@code
 * List[Tensor]}), so the module holds no tensors.
 *
 * <p>Methods run without autograd (DJL's {@code runMethod} uses a no-grad guard). Compiled modules
 * are cached per source text for the life of the JVM and are safe to call from several threads.
 */
public final class TorchScript {
  private static final Map<String, TorchScript> CACHE = new HashMap<>();
  private static NDManager owner;

  private final PtSymbolBlock block;

  private TorchScript(PtSymbolBlock block) {
    this.block = block;
  }

  /**
   * Compiles (once per distinct source) a TorchScript class.
   *
   * @param className the class name declared in {@code source}, e.g. {@code "Gpt2Decode"}
   * @param source the class definition (see the class comment for the dialect)
   * @return the loaded module
   * @throws IllegalStateException with libtorch's compiler message when the source is invalid
   */
  public static synchronized TorchScript compile(String className, String source) {
    TorchScript cached = CACHE.get(source);
    if (cached != null) {
      return cached;
    }
    if (owner == null) {
      owner = NDManager.newBaseManager();
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile("stepwise-" + className, ".pt");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writeArchive(out, className, source);
      }
      PtSymbolBlock block =
          JniUtils.loadModule((PtNDManager) owner, tmp, true, new String[0], new String[0], false);
      TorchScript ts = new TorchScript(block);
      CACHE.put(source, ts);
      return ts;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write TorchScript archive for " + className, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("TorchScript class " + className + " failed to compile: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /**
   * Runs a method. The caller owns (and must close) both the arguments and the result.
   *
   * @param method method name in the class
   * @param args IValues matching the method's signature after {@code self}
   * @return the method's return value
   */
  public IValue run(String method, IValue... args) {
    return IValueUtils.runMethod(block, method, args);
  }

  /** Writes the zip archive {@code torch.jit.load} expects (see the class comment). */
  static void writeArchive(OutputStream os, String className, String source) throws IOException {
    String dir = "stepwise/";
    try (ZipOutputStream z = new ZipOutputStream(os)) {
      put(z, dir + "version", "10\n".getBytes(StandardCharsets.US_ASCII));
      put(z, dir + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      put(z, dir + "data.pkl", instancePickle(className));
      put(z, dir + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Pickle (protocol 2) of an instance of {@code __torch__.<className>} whose state is {@code
   * {"training": False}}: GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK, BINUNICODE, NEWFALSE,
   * SETITEMS, BUILD, STOP.
   */
  private static byte[] instancePickle(String className) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(0x80);
    o.write(2);
    o.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
    o.write(')');
    o.write(0x81);
    o.write('}');
    o.write('(');
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    o.write('X');
    o.write(key.length);
    o.write(0);
    o.write(0);
    o.write(0);
    o.writeBytes(key);
    o.write(0x89);
    o.write('u');
    o.write('b');
    o.write('.');
    return o.toByteArray();
  }

  private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
    z.putNextEntry(new ZipEntry(name));
    z.write(data);
    z.closeEntry();
  }
}

package dev.stepwise.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peak-memory metrics the trainer logs with every training record and in the summary:
 *
 * <ul>
 *   <li>{@code peak_rss_mb}: the process's peak resident set size in MiB, the kernel's high-water
 *       mark {@code VmHWM} of {@code /proc/self/status} (Linux; Java heap, libtorch's CPU tensors,
 *       the Java decoder's weight snapshots, native libraries: everything resident). Absent on
 *       systems without {@code /proc}.
 *   <li>{@code peak_gpu_memory_mb}: on a CUDA device, the largest device memory in use (MiB) seen
 *       when a record was made, from {@code cudaMemGetInfo} (total − free, through DJL's {@code
 *       CudaUtils.getGpuMemory}): the whole device, including libtorch's caching allocator's
 *       reserve and other processes. DJL does not expose libtorch's {@code
 *       max_memory_allocated}, so short peaks between records can be missed.
 * </ul>
 */
public final class PeakMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private final Device device;
  private long gpuPeakBytes = -1;

  /** @param device the device training runs on */
  public PeakMemory(Device device) {
    this.device = device;
  }

  /** @return the metrics available now, by name (MiB values) */
  public Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    long rss = peakRssKib();
    if (rss >= 0) {
      m.put("peak_rss_mb", rss / 1024.0);
    }
    if (device.isGpu()) {
      try {
        gpuPeakBytes = Math.max(gpuPeakBytes, CudaUtils.getGpuMemory(device).getUsed());
      } catch (RuntimeException | LinkageError e) {
        // no CUDA runtime visible to DJL: leave the metric out
      }
      if (gpuPeakBytes >= 0) {
        m.put("peak_gpu_memory_mb", gpuPeakBytes / (1024.0 * 1024.0));
      }
    }
    return m;
  }

  /** @return {@code VmHWM} in KiB, or -1 when unreadable */
  public static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}

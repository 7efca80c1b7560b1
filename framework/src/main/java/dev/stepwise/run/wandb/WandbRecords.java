package dev.stepwise.run.wandb;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Serializes the {@code wandb_internal.Record} messages of an offline run with protobuf-java's
 * {@link CodedOutputStream}, using the field numbers of W&amp;B's {@code
 * wandb/proto/wandb_internal.proto}:
 *
 * <pre>
 * Record        num=1 (int64), history=2, summary=3, config=5, run=17, exit=18, final=20, header=21
 * HeaderRecord  (empty)                       FinalRecord (empty)
 * RunRecord     run_id=1 entity=2 project=3 config=4 run_group=6 display_name=8 notes=9
 *               tags=10 (repeated) host=13 start_time=17 (google.protobuf.Timestamp seconds=1 nanos=2)
 * ConfigRecord  update=1 (ConfigItem key=1 value_json=16)
 * HistoryRecord item=1 (HistoryItem key=1 value_json=16), step=2 (HistoryStep num=1)
 * SummaryRecord update=1 (SummaryItem key=1 value_json=16)
 * RunExitRecord exit_code=1 (int32), runtime=2 (int32 seconds)
 * </pre>
 *
 * As in proto3, fields holding their default (0, empty string) are not written.
 */
final class WandbRecords {
  /** Record oneof field numbers. */
  static final int HISTORY = 2, SUMMARY = 3, CONFIG = 5, RUN = 17, EXIT = 18, FINAL = 20, HEADER = 21;

  private WandbRecords() {}

  /**
   * One config, history or summary item: a flat key and its value as raw JSON.
   *
   * @param key the metric or config key, e.g. {@code train/loss}, {@code optim.lr}
   * @param valueJson the value as JSON text, e.g. {@code 0.25}, {@code "adamw"}, {@code [1,2]}
   */
  record Item(String key, String valueJson) {}

  /**
   * What the run record says about the run.
   *
   * @param runId the 8-character run id
   * @param project project name (required)
   * @param entity team or user, null: the default entity at sync time
   * @param displayName the run's name in the app, null: W&amp;B picks one
   * @param group run group, may be null
   * @param notes free text, may be null
   * @param tags tags, may be empty
   * @param host host name, may be null
   * @param startTime when the run started
   */
  record RunInfo(
      String runId, String project, String entity, String displayName, String group,
      String notes, List<String> tags, String host, Instant startTime) {}

  @FunctionalInterface
  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] record(long num, int field, byte[] payload) {
    return message(
        out -> {
          if (num != 0) {
            out.writeInt64(1, num);
          }
          out.writeByteArray(field, payload);
        });
  }

  private static void string(CodedOutputStream out, int field, String s) throws IOException {
    if (s != null && !s.isEmpty()) {
      out.writeString(field, s);
    }
  }

  private static byte[] items(int field, List<Item> items) {
    return message(
        out -> {
          for (Item i : items) {
            out.writeByteArray(field, message(o -> {
              string(o, 1, i.key());
              string(o, 16, i.valueJson());
            }));
          }
        });
  }

  /** @return a Record holding an empty HeaderRecord */
  static byte[] header(long num) {
    return record(num, HEADER, new byte[0]);
  }

  /** @return a Record holding the RunRecord, with the whole config in its {@code config} field */
  static byte[] run(long num, RunInfo r, List<Item> config) {
    byte[] run =
        message(
            out -> {
              string(out, 1, r.runId());
              string(out, 2, r.entity());
              string(out, 3, r.project());
              out.writeByteArray(4, items(1, config));
              string(out, 6, r.group());
              string(out, 8, r.displayName());
              string(out, 9, r.notes());
              for (String t : r.tags()) {
                out.writeString(10, t);
              }
              string(out, 13, r.host());
              out.writeByteArray(17, message(ts -> {
                ts.writeInt64(1, r.startTime().getEpochSecond());
                if (r.startTime().getNano() != 0) {
                  ts.writeInt32(2, r.startTime().getNano());
                }
              }));
            });
    return record(num, RUN, run);
  }

  /** @return a Record holding a ConfigRecord whose {@code update} list is {@code items} */
  static byte[] config(long num, List<Item> items) {
    return record(num, CONFIG, items(1, items));
  }

  /** @return a Record holding a HistoryRecord: the items and {@code step.num = step} */
  static byte[] history(long num, long step, List<Item> items) {
    byte[] h = message(out -> {
      out.writeRawBytes(items(1, items));
      out.writeByteArray(2, message(s -> {
        if (step != 0) {
          s.writeInt64(1, step);
        }
      }));
    });
    return record(num, HISTORY, h);
  }

  /** @return a Record holding a SummaryRecord whose {@code update} list is {@code items} */
  static byte[] summary(long num, List<Item> items) {
    return record(num, SUMMARY, items(1, items));
  }

  /** @return a Record holding a RunExitRecord with the exit code and runtime (seconds) */
  static byte[] exit(long num, int exitCode, int runtimeSeconds) {
    return record(num, EXIT, message(out -> {
      if (exitCode != 0) {
        out.writeInt32(1, exitCode);
      }
      if (runtimeSeconds != 0) {
        out.writeInt32(2, runtimeSeconds);
      }
    }));
  }

  /** @return a Record holding an empty FinalRecord */
  static byte[] fin(long num) {
    return record(num, FINAL, new byte[0]);
  }
}

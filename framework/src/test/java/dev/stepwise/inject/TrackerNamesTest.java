package dev.stepwise.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.config.Composer;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.ConfFiles;
import dev.stepwise.config.UserError;
import dev.stepwise.run.RunSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which trackers a run opens, and strict binding of the framework's {@code run.*} section. */
class TrackerNamesTest {
  @TempDir Path root;

  private ComposedConfig load(String rootConf, String... overrides) {
    ConfFiles.write(root, "config.conf", rootConf);
    ConfFiles.write(root, "tracker/console.conf", "console {}\n");
    ConfFiles.write(root, "tracker/jsonl.conf", "jsonl {}\n");
    ConfFiles.write(root, "tracker/wandb.conf", "wandb {\n  project = p\n}\n");
    return Composer.load(root, null, overrides);
  }

  @Test
  void opensTheChosenTrackersInTheirOrder() {
    String conf = "defaults = [{tracker: [jsonl, console]}, _self_]\n";
    assertEquals(List.of("jsonl", "console"), RunLauncher.trackerNames(load(conf)));
    assertEquals(List.of("console", "jsonl", "wandb"), RunLauncher.trackerNames(load(conf, "tracker=[console,jsonl,wandb]")));
    assertEquals(List.of(), RunLauncher.trackerNames(load(conf, "tracker=[]")));
  }

  @Test
  void aSectionThatIsNotASelectedTrackerIsAnError() {
    UserError e = assertThrows(UserError.class, () -> RunLauncher.trackerNames(
        load("defaults = [{tracker: [console]}, _self_]\n", "+tracker.wandbb={project: x}")));
    assertEquals("Unknown key 'tracker.wandbb' (command line override '+tracker.wandbb={project: x}'): it is not a "
        + "selected tracker [console]. Select it with tracker=[...,wandbb]", e.getMessage());
  }

  @Test
  void withoutTheGroupTheTrackerSectionsAreOpenedSorted() {
    assertEquals(List.of("console", "jsonl"), RunLauncher.trackerNames(load("tracker { jsonl {}, console {} }\n")));
  }

  @Test
  void runSectionIsBoundStrictly() {
    String conf = "run { dir = null, num_threads = 0 }\n";
    assertEquals(new RunSettings(null, 0), load(conf).bind("run", RunSettings.class));
    assertEquals(new RunSettings(null, 0, null, null, java.util.List.of("TERM", "USR1"), false),
        load(conf, "+run.stop_signals=[TERM,USR1]", "+run.checkpoint_on_stop=false").bind("run", RunSettings.class));
    UserError e = assertThrows(UserError.class, () -> load(conf, "+run.num_thread=2").bind("run", RunSettings.class));
    assertEquals("Unknown key 'run.num_thread' (command line override '+run.num_thread=2'). Did you mean 'run.num_threads'?",
        e.getMessage());
  }
}

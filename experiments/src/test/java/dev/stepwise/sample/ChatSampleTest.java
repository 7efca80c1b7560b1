package dev.stepwise.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.api.server.TinyServing;
import dev.stepwise.chat.ChatTemplates;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.ChatPromptTask;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling a task through a chat template (a real tiny GPT-2): every record's prompt is the
 * template's rendering of the task's prompt, and the completions are the model's continuation of
 * exactly that text (the same greedy output as sampling the rendered prompts directly).
 */
class ChatSampleTest {
  @TempDir Path dir;

  @Test
  void recordsHoldTheRenderedPromptAndItsCompletions() throws Exception {
    ArithTask arith = new ArithTask(ArithConfig.DEFAULTS);
    Task chat = ChatPromptTask.wrap(arith, ChatTemplates.named("zephyr", "", ""));
    List<Problem> problems = arith.problems("test", 3);
    SamplingParams greedy = new SamplingParams(1, 0.0, 1.0, 0, 6, List.of(), 0L, false);
    try (TinyServing tiny = new TinyServing(7)) {
      Sampler sampler = tiny.sampler();
      Path out = dir.resolve("samples.jsonl");
      assertEquals(3, SampleJob.sampleInto(out, "sample", problems, chat, sampler, greedy, 2));
      List<SampleRecord> recs = JsonlReader.readAll(out, SampleRecord.class);
      List<String> rendered = problems.stream().map(p -> "<|user|>\n" + arith.prompt(p) + "\n<|assistant|>\n").toList();
      var direct = sampler.generate(rendered, greedy);
      for (int k = 0; k < 3; k++) {
        assertEquals(rendered.get(k), recs.get(k).prompt());
        assertEquals(direct.get(k).get(0).text(), recs.get(k).response().get(0));
      }
    }
  }
}

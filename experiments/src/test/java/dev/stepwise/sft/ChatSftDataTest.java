package dev.stepwise.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.chat.ChatTemplates;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.HfTokenizer;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.ChatPromptTask;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SFT over a chat template, as TRL's completion-only loss: the prompt is the template over the
 * task's prompt as one user message with the generation prompt, the response the target plus
 * eos; exactly the response's tokens carry loss.
 */
class ChatSftDataTest {
  static final ArithTask ARITH = new ArithTask(ArithConfig.DEFAULTS);

  /** Checks one collated example: the loss-masked labels are exactly target + eos, the rest is the rendered prompt. */
  static void assertMaskCoversExactlyTheResponse(Task chat, Problem p, Tokenizer tok, String expectedPrompt) {
    SftData data = SftData.of(chat, List.of(p), tok, 4096);
    try (NDManager m = NDManager.newBaseManager()) {
      SftBatch b = data.collate(new int[] {0}, m);
      long[] labels = b.labels().toLongArray();
      float[] mask = b.lossMask().toFloatArray();
      List<Integer> trained = new ArrayList<>();
      List<Integer> masked = new ArrayList<>();
      for (int k = 0; k < labels.length; k++) {
        (mask[k] == 1f ? trained : masked).add((int) labels[k]);
      }
      int[] target = tok.encode(ARITH.target(p));
      int[] response = java.util.Arrays.copyOf(target, target.length + 1);
      response[target.length] = tok.eosId();
      assertArrayEquals(response, trained.stream().mapToInt(Integer::intValue).toArray());
      int[] prompt = tok.encode(expectedPrompt);
      // labels are the sequence shifted by one: the first prompt token is never a label
      assertArrayEquals(java.util.Arrays.copyOfRange(prompt, 1, prompt.length), masked.stream().mapToInt(Integer::intValue).toArray());
      // and the trained positions come after all the masked ones
      for (int k = 0; k < masked.size(); k++) {
        assertEquals(0f, mask[k]);
      }
    }
  }

  @Test
  void chatmlPromptIsMaskedAndTheAnswerPlusEosIsTrained() {
    ChatTemplate chatml = ChatTemplates.named("chatml", "", "");
    Task chat = ChatPromptTask.wrap(ARITH, chatml);
    Problem p = ARITH.problems("train", 1).get(0);
    String expected = "<|im_start|>user\n" + ARITH.prompt(p) + "<|im_end|>\n<|im_start|>assistant\n";
    assertEquals(expected, chat.prompt(p));
    assertEquals(ARITH.target(p), chat.target(p));
    assertMaskCoversExactlyTheResponse(chat, p, CharTokenizer.ascii(), expected);
  }

  @Test
  void realQwen3TemplateAndTokenizer() throws Exception {
    Path qwen = Path.of(System.getenv().getOrDefault("STEPWISE_DATA", "../shared/data")).resolve("tokenizers/qwen3");
    assumeTrue(Files.isRegularFile(qwen.resolve("tokenizer.json")), "shared data not found at " + qwen + " (set STEPWISE_DATA); skipping");
    Task chat = ChatPromptTask.wrap(ARITH, ChatTemplates.fromModelDir(qwen));
    Problem p = ARITH.problems("train", 1).get(0);
    String expected = "<|im_start|>user\n" + ARITH.prompt(p) + "<|im_end|>\n<|im_start|>assistant\n";
    assertEquals(expected, chat.prompt(p));
    try (HfTokenizer tok = HfTokenizer.load(qwen)) {
      // the special tokens of the rendered prompt are single ids, and eos is the turn's end
      assertEquals(tok.encode("<|im_end|>")[0], tok.eosId());
      assertTrue(tok.encode(expected).length < expected.length() / 2);
      assertMaskCoversExactlyTheResponse(chat, p, tok, expected);
    }
  }

  @Test
  void withoutATemplateTheTaskIsUnchanged() {
    assertTrue(ChatPromptTask.wrap(ARITH, null) == ARITH);
  }
}

package dev.stepwise.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The named templates ({@code chatml}, {@code llama-3-instruct}, {@code llama-2}, {@code zephyr})
 * against their families' published prompt formats (the same strings Python's Jinja renders from
 * these template files), and the {@code chat_template} key's values.
 */
class NamedTemplatesTest {
  static final List<ChatMessage> CONV = ChatTemplateTest.CONV;
  static final List<ChatMessage> PROMPT = ChatTemplateTest.PROMPT;
  static final List<ChatMessage> TURNS = List.of(ChatMessage.user(" Hi "), ChatMessage.assistant(" Hello "), ChatMessage.user("Bye"));

  @TempDir Path dir;

  @Test
  void chatml() {
    ChatTemplate t = ChatTemplates.named("chatml", "", "");
    assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n",
        t.render(CONV, false));
    assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n", t.prompt("You are helpful.", "What is 2+2?"));
  }

  @Test
  void llama3Instruct() {
    ChatTemplate t = ChatTemplates.named("llama-3-instruct", "<|begin_of_text|>", "<|eot_id|>");
    assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are helpful.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
        + "What is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4<|eot_id|>", t.render(CONV, false));
    assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello<|eot_id|>"
        + "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", t.render(TURNS, true));
  }

  @Test
  void llama2FoldsTheSystemMessageAndRejectsNonAlternatingRoles() {
    ChatTemplate t = ChatTemplates.named("llama-2", "<s>", "</s>");
    assertEquals("<s>[INST] <<SYS>>\nYou are helpful.\n<</SYS>>\n\nWhat is 2+2? [/INST] 4 </s>", t.render(CONV, false));
    assertEquals("<s>[INST] <<SYS>>\nYou are helpful.\n<</SYS>>\n\nWhat is 2+2? [/INST]", t.render(PROMPT, true));
    assertEquals("<s>[INST] Hi [/INST] Hello </s><s>[INST] Bye [/INST]", t.render(TURNS, true));
    UserError e = assertThrows(UserError.class, () -> t.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
    assertTrue(e.getMessage().contains("llama-2.jinja") && e.getMessage().contains("roles must alternate"), e.getMessage());
  }

  @Test
  void zephyr() {
    ChatTemplate t = ChatTemplates.named("zephyr", "<s>", "</s>");
    assertEquals("<|system|>\nYou are helpful.</s>\n<|user|>\nWhat is 2+2?</s>\n<|assistant|>\n4</s>\n", t.render(CONV, false));
    assertEquals("<|user|>\n Hi </s>\n<|assistant|>\n Hello </s>\n<|user|>\nBye</s>\n<|assistant|>\n", t.render(TURNS, true));
  }

  @Test
  void keyValues() throws IOException {
    assertNull(ChatTemplates.resolve(null, null, "chat_template"));
    assertNull(ChatTemplates.resolve("null", null, "chat_template"));
    UserError typo = assertThrows(UserError.class, () -> ChatTemplates.resolve("chatlm", null, "chat_template (conf/x.conf:3)"));
    assertTrue(typo.getMessage().startsWith("chat_template (conf/x.conf:3) = 'chatlm': unknown chat template.") && typo.getMessage().endsWith("Did you mean 'chatml'?"),
        typo.getMessage());
    UserError noModel = assertThrows(UserError.class, () -> ChatTemplates.resolve("model", null, "chat_template"));
    assertTrue(noModel.getMessage().contains("no model directory"), noModel.getMessage());
    assertThrows(UserError.class, () -> ChatTemplates.resolve("/no/such/file.jinja", null, "chat_template"));
    // a named template takes the model directory's special tokens; a path is read as a template file
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}");
    assertEquals("</s>", ChatTemplates.resolve("zephyr", dir, "chat_template").eosToken());
    Path file = dir.resolve("t.jinja");
    Files.writeString(file, "{{ messages | length }}\n");
    assertEquals("2", ChatTemplates.resolve(file.toString(), dir, "chat_template").render(PROMPT, false));
  }
}

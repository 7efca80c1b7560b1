package dev.stepwise.task;

import dev.stepwise.chat.ChatTemplate;
import java.util.List;
import java.util.Optional;

/**
 * A task whose prompts go through a chat template: {@link #prompt} is the template over one
 * user message holding the task's own prompt, with {@code add_generation_prompt = true}
 * ({@link ChatTemplate#prompt}); everything else (problems, targets, steps, answers) is the
 * task's. With a system message ({@code system_prompt}), every prompt carries it: RLCD samples
 * the same problems under a positive and a negative system prompt. So SFT trains on prompt (masked) + target + eos, TRL's completion-only loss over a chat
 * template, and sampling, evaluation and records all see the same rendered prompt.
 */
public final class ChatPromptTask implements Task {
  private final Task task;
  private final ChatTemplate template;
  private final String system;

  /**
   * @param task the task
   * @param template the chat template
   */
  public ChatPromptTask(Task task, ChatTemplate template) {
    this(task, template, null);
  }

  /**
   * @param task the task
   * @param template the chat template
   * @param system the system message of every prompt, or null for none
   */
  public ChatPromptTask(Task task, ChatTemplate template, String system) {
    this.task = task;
    this.template = template;
    this.system = system;
  }

  /** @return {@code task} itself when {@code template} is null, else the task through the template */
  public static Task wrap(Task task, ChatTemplate template) {
    return template == null ? task : new ChatPromptTask(task, template);
  }

  /**
   * @param system the system message, or null
   * @return as {@link #wrap(Task, ChatTemplate)}, every prompt with the system message
   * @throws dev.stepwise.config.UserError when a system message is given without a template
   */
  public static Task wrap(Task task, ChatTemplate template, String system) {
    if (system != null && template == null) {
      throw new dev.stepwise.config.UserError("system_prompt is set but chat_template is null: a system message needs a chat "
          + "template to carry it (chat_template=chatml, a .jinja file, or model)");
    }
    return template == null ? task : new ChatPromptTask(task, template, system);
  }

  /**
   * @return the rendered prompt
   * @throws dev.stepwise.config.UserError when the template fails to render
   */
  @Override
  public String prompt(Problem p) {
    return template.prompt(system, task.prompt(p));
  }

  @Override
  public String name() {
    return task.name();
  }

  @Override
  public List<Problem> problems(String split, int limit) {
    return task.problems(split, limit);
  }

  @Override
  public boolean hasSplit(String split) {
    return task.hasSplit(split);
  }

  @Override
  public String target(Problem p) {
    return task.target(p);
  }

  @Override
  public List<String> splitSteps(String completion) {
    return task.splitSteps(completion);
  }

  @Override
  public Optional<String> extractAnswer(String completion) {
    return task.extractAnswer(completion);
  }

  @Override
  public boolean isCorrect(String completion, Problem p) {
    return task.isCorrect(completion, p);
  }
}

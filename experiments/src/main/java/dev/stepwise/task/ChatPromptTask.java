package dev.stepwise.task;

import dev.stepwise.chat.ChatTemplate;
import java.util.List;
import java.util.Optional;

/**
 * A task whose prompts go through a chat template: {@link #prompt} is the template over one
 * user message holding the task's own prompt, with {@code add_generation_prompt = true}
 * ({@link ChatTemplate#prompt}); everything else (problems, targets, steps, answers) is the
 * task's. So SFT trains on prompt (masked) + target + eos, TRL's completion-only loss over a chat
 * template, and sampling, evaluation and records all see the same rendered prompt.
 */
public final class ChatPromptTask implements Task {
  private final Task task;
  private final ChatTemplate template;

  /**
   * @param task the task
   * @param template the chat template
   */
  public ChatPromptTask(Task task, ChatTemplate template) {
    this.task = task;
    this.template = template;
  }

  /** @return {@code task} itself when {@code template} is null, else the task through the template */
  public static Task wrap(Task task, ChatTemplate template) {
    return template == null ? task : new ChatPromptTask(task, template);
  }

  /**
   * @return the rendered prompt
   * @throws dev.stepwise.config.UserError when the template fails to render
   */
  @Override
  public String prompt(Problem p) {
    return template.prompt(null, task.prompt(p));
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

/**
 * GFlowNet fine-tuning of a policy over reasoning steps (issue 18 item 5; Hu et al. 2023,
 * "Amortizing intractable inference in large language models"; Younsi et al. 2025, PRM-guided
 * GFlowNets). So far the objective's loss, {@link SubTbLoss}; the job (rollouts, PRM log-rewards,
 * the flow head, replay buffer, LoRA) is still to come.
 */
package dev.stepwise.gfn;

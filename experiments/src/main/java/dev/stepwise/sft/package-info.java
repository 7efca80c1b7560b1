/**
 * Supervised fine-tuning (SFT) and rejection-sampling fine-tuning (RFT): tokenised
 * prompt/completion examples, the completion-only cross-entropy objective, and the greedy
 * accuracy evaluator.
 */
package dev.stepwise.sft;

/**
 * Reward-model objectives for the generic trainer: ORM (BCE at the last token), PRM with {@code
 * soft}/{@code hard} labels (BCE at step ends) and {@code classes} (cross-entropy at step ends),
 * and the masked losses they share.
 */
package dev.stepwise.reward.loss;

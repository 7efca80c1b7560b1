/**
 * Reward-model objectives for the generic trainer: {@code ScalarBceObjective} (ORM at the last
 * token, PRM {@code soft}/{@code hard} at step ends), {@code PrmClassObjective} ({@code classes},
 * cross-entropy at step ends), and the masked losses they share.
 */
package dev.stepwise.reward.loss;

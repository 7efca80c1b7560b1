/**
 * Preference pairs: the JSONL record ({@link dev.stepwise.preference.data.PreferencePair}), its
 * tokenisation into chosen and rejected sequences that share a prompt ({@link
 * dev.stepwise.preference.data.PairData}), and the concatenated (2B, T) micro-batch ({@link
 * dev.stepwise.preference.data.PairBatch}) that lets one forward score both sides.
 */
package dev.stepwise.preference.data;

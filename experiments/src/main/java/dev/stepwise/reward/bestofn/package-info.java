/**
 * Best-of-N reranking: choose one of n sampled responses per problem by ORM, PRM (each reduce),
 * majority vote or at random, against the pass@n ceiling (the sampler job {@code best_of_n}).
 */
package dev.stepwise.reward.bestofn;

package io.github.cae4j.examples;

import java.util.Map;

/**
 * One fine-tuned model of the comparison.
 *
 * @param labels            labelled digits used for fine-tuning
 * @param meanJacobianFro   mean ||J_f(x)||_F of the first hidden layer on test digits, before fine-tuning
 * @param saturatedPct      saturated first-layer sigmoid units on test digits (paper's SAT), before fine-tuning
 * @param finetuneLr        the fine-tuning learning rate kept (the lowest validation error among those tried)
 * @param validErrorPctByLr best validation error % of every learning rate tried, in the order tried
 * @param finetuneSeconds   fine-tuning time of every learning rate tried
 * @param validAccuracyByEpoch fine-tuning curve of the kept learning rate
 */
public record RowResult(ModelRow row, long seed, int labels, double testErrorPct, double validErrorPct,
                        double meanJacobianFro, double saturatedPct, int pretrainEpochs, double pretrainSeconds,
                        int finetuneEpochs, int finetuneBestEpoch, double finetuneSeconds, double finetuneLr,
                        Map<Double, Double> validErrorPctByLr,
                        Map<Integer, Double> validAccuracyByEpoch) {
}

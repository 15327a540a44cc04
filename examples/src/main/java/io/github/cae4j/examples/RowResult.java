package io.github.cae4j.examples;

import java.util.Map;

/**
 * One fine-tuned model of the comparison.
 *
 * @param labels            labelled digits used for fine-tuning
 * @param meanJacobianFro   mean ||J_f(x)||_F of the first hidden layer on test digits, before fine-tuning
 * @param saturatedPct      saturated first-layer sigmoid units on test digits (paper's SAT), before fine-tuning
 * @param validAccuracyByEpoch fine-tuning curve
 */
public record RowResult(ModelRow row, long seed, int labels, double testErrorPct, double validErrorPct,
                        double meanJacobianFro, double saturatedPct, int pretrainEpochs, double pretrainSeconds,
                        int finetuneEpochs, int finetuneBestEpoch, double finetuneSeconds,
                        Map<Integer, Double> validAccuracyByEpoch) {
}

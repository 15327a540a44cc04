package io.github.cae4j.pretrain;

import io.github.cae4j.training.EarlyStoppingProgressLogger;
import io.github.cae4j.training.EarlyStoppingRun;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ClassificationScoreCalculator;
import org.deeplearning4j.earlystopping.termination.InvalidScoreIterationTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Supervised fine-tuning with DL4J's early stopping on validation accuracy; the model of the best
 * validation epoch is returned. The test split is never seen here.
 */
public final class SupervisedFineTuning {

    private SupervisedFineTuning() {
    }

    /**
     * @param validation labelled validation data, never the test split
     * @return the best model and its validation accuracy (score) per epoch
     */
    public static EarlyStoppingRun fit(String name, MultiLayerNetwork classifier, DataSetIterator train,
                                       DataSetIterator validation, int maxEpochs, int patience) {
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(maxEpochs),
                        new ScoreImprovementEpochTerminationCondition(patience))
                .iterationTerminationConditions(new InvalidScoreIterationTerminationCondition())
                .scoreCalculator(new ClassificationScoreCalculator(Evaluation.Metric.ACCURACY, validation))
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        return EarlyStoppingRun.run(name, es, classifier, train, false,
                new EarlyStoppingProgressLogger(name, maxEpochs, false));
    }
}

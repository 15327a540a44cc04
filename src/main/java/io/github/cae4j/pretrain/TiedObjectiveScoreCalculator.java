package io.github.cae4j.pretrain;

import io.github.cae4j.layers.ContractiveDenseLayerImpl;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Early-stopping score of a one-layer tied CAE: {@link ContractiveDenseLayerImpl#tiedObjective} on
 * held-out data, per-example mean. DL4J's own {@code AutoencoderScoreCalculator} only works for its
 * built-in {@code AutoEncoder}, and its {@code DataSetLossCalculator} needs an output layer.
 */
public final class TiedObjectiveScoreCalculator implements ScoreCalculator<MultiLayerNetwork> {

    private final transient INDArray heldOut;
    private final int batchSize;

    public TiedObjectiveScoreCalculator(INDArray heldOut, int batchSize) {
        this.heldOut = heldOut;
        this.batchSize = batchSize;
    }

    @Override
    public double calculateScore(MultiLayerNetwork network) {
        ContractiveDenseLayerImpl layer = (ContractiveDenseLayerImpl) network.getLayer(0);
        long n = heldOut.size(0);
        double sum = 0;
        for (long start = 0; start < n; start += batchSize) {
            long end = Math.min(n, start + batchSize);
            sum += layer.tiedObjective(heldOut.get(NDArrayIndex.interval(start, end), NDArrayIndex.all())) * (end - start);
        }
        return sum / n;
    }

    @Override
    public boolean minimizeScore() {
        return true;
    }
}

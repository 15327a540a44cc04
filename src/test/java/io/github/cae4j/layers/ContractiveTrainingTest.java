package io.github.cae4j.layers;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CAE trains with DL4J's own fit loop and early stopping, and contracts more than a plain autoencoder. */
class ContractiveTrainingTest {

    private static final int N_IN = 20;
    private static final int N_HIDDEN = 12;

    /** Train and held-out examples from the same manifold (the seed also draws the manifold itself). */
    private static DataSet[] trainAndHeldOut(int mTrain, int mHeldOut, long seed) {
        DataSet ds = TinyNets.autoencoderData(mTrain + mHeldOut, N_IN, seed);
        DataSet f = new DataSet(ds.getFeatures().castTo(DataType.FLOAT), ds.getLabels().castTo(DataType.FLOAT));
        var split = f.splitTestAndTrain(mTrain);
        return new DataSet[]{split.getTrain(), split.getTest()};
    }

    private static MultiLayerNetwork train(double lambda, DataSet train, int epochs) {
        MultiLayerNetwork net = floatAutoencoder(lambda);
        var it = new ListDataSetIterator<>(train.asList(), 32);
        net.fit(it, epochs);
        return net;
    }

    private static MultiLayerNetwork floatAutoencoder(double lambda) {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(123).dataType(DataType.FLOAT).updater(new Adam(0.01))
                .weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(N_IN).nOut(N_HIDDEN).activation(Activation.SIGMOID).lambda(lambda).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(TinyNets.bce())
                        .nIn(N_HIDDEN).nOut(N_IN).activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void fitConvergesAndContractsMoreThanAPlainAutoencoder() {
        DataSet[] sets = trainAndHeldOut(512, 256, 1);
        DataSet train = sets[0];
        DataSet test = sets[1];
        MultiLayerNetwork cae = floatAutoencoder(1.0);
        double before = cae.score(train);
        cae.fit(new ListDataSetIterator<>(train.asList(), 32), 30);
        double after = cae.score(train);
        assertTrue(after < 0.9 * before, "CAE score should fall: " + before + " -> " + after);

        MultiLayerNetwork plain = train(0.0, train, 30);
        double caeNorm = JacobianNorms.meanFrobenius(JacobianNorms.frobeniusSquared(cae, 0, test.getFeatures()));
        double plainNorm = JacobianNorms.meanFrobenius(JacobianNorms.frobeniusSquared(plain, 0, test.getFeatures()));
        assertTrue(caeNorm < 0.8 * plainNorm, "mean ||J||_F: CAE " + caeNorm + " vs plain " + plainNorm);
    }

    @Test
    void earlyStoppingReturnsTheBestModelOnHeldOutData() {
        DataSet[] sets = trainAndHeldOut(512, 128, 3);
        DataSet train = sets[0];
        DataSet valid = sets[1];
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(25),
                        new ScoreImprovementEpochTerminationCondition(4))
                .scoreCalculator(new DataSetLossCalculator(new ListDataSetIterator<>(valid.asList(), 64), true))
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        MultiLayerNetwork net = floatAutoencoder(0.5);
        double initialValidScore = net.score(valid);
        EarlyStoppingResult<MultiLayerNetwork> result =
                new EarlyStoppingTrainer(es, net, new ListDataSetIterator<>(train.asList(), 32)).fit();

        assertNotEquals(EarlyStoppingResult.TerminationReason.Error, result.getTerminationReason(),
                "early stopping failed: " + result.getTerminationDetails());
        // getBestModelScore() is 0 in DL4J 1.0.0-M2.1 (a cloned model has no score); read the epoch's score.
        double bestScore = result.getScoreVsEpoch().get(result.getBestModelEpoch());
        double minScore = result.getScoreVsEpoch().values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertEquals(minScore, bestScore, 0.0);
        MultiLayerNetwork best = result.getBestModel();
        assertEquals(bestScore, best.score(valid), 1e-5, "the returned model is the best epoch's");
        // Cross-entropy on non-binary x never reaches 0: compare the excess over its floor, the entropy of x.
        double floor = entropyFloor(valid);
        assertTrue(bestScore - floor < 0.7 * (initialValidScore - floor),
                "validation score should fall: " + initialValidScore + " -> " + bestScore + " (floor " + floor + ", "
                        + result.getScoreVsEpoch() + ")");
    }

    /** Mean over examples of −Σ_i [x log x + (1−x) log(1−x)]: the least summed cross-entropy any model can reach. */
    private static double entropyFloor(DataSet ds) {
        var x = ds.getFeatures().castTo(DataType.DOUBLE);
        var oneMinus = x.rsub(1.0);
        var h = x.mul(org.nd4j.linalg.ops.transforms.Transforms.log(x, true))
                .addi(oneMinus.mul(org.nd4j.linalg.ops.transforms.Transforms.log(oneMinus, true))).negi();
        return h.sumNumber().doubleValue() / x.size(0);
    }
}

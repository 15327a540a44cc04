package io.github.cae4j.tangents;

import io.github.cae4j.layers.TangentPropOutputLayerImpl;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.pretrain.SupervisedFineTuning;
import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier end to end on a tiny pretrained stack: DL4J's fit and early stopping, the plain copy, the iterator. */
@ExtendWith(DoublePrecision.class)
class ManifoldTangentClassifierTest {

    private static final int K = 2;
    private static PretrainedStack stack;
    private static INDArray x;
    private static INDArray y;

    @BeforeAll
    static void pretrain() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        x = TinyNets.manifoldData(160, 8, 2, 1);
        y = Nd4j.zeros(DataType.DOUBLE, 160, 3);
        INDArray cls = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).argMax(1);
        for (int i = 0; i < 160; i++) {
            y.putScalar(i, cls.getInt(i), 1.0);
        }
        stack = new GreedyLayerwisePretrainer(List.of(LayerPretrainOptions.cae(6, 0.1), LayerPretrainOptions.cae(5, 0.1)),
                new PretrainSchedule(20, 3, 2, 1), DataType.DOUBLE).pretrain(rows(x, 0, 120), rows(x, 120, 160));
    }

    private static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
    }

    private static ManifoldTangentClassifier classifier(double beta) {
        return ManifoldTangentClassifier.fromPretrained(stack, K, beta, new ClassifierOptions(3, new Adam(1e-2), 0.0, 5, DataType.DOUBLE));
    }

    @Test
    void fitsUnderEarlyStoppingAndLowersThePenaltyMoreThanCrossEntropyAlone() {
        INDArray xTrain = rows(x, 0, 120);
        INDArray yTrain = rows(y, 0, 120);
        Tangents tangents = ManifoldTangents.of(stack, TangentOptions.of(K)).compute(xTrain);
        ManifoldTangentClassifier mtc = classifier(200.0);
        double penaltyBefore = meanPenalty(mtc.network(), xTrain, tangents);
        EarlyStoppingRun run = SupervisedFineTuning.fit("mtc test", mtc.network(),
                new TangentAppendingIterator(xTrain, yTrain, tangents, 20, 3, true),
                new ShuffledBatchIterator(rows(x, 120, 160), rows(y, 120, 160), 40, 0, false), 4, 3);
        assertTrue(run.termination().startsWith("EpochTerminationCondition"), run.termination());
        assertEquals(4, run.epochs());
        MultiLayerNetwork trained = mtc.network();
        double penaltyMtc = meanPenalty(trained, xTrain, tangents);

        // Same start, same data order, cross-entropy only (plain features): the penalty falls less, if at all.
        ManifoldTangentClassifier ce = classifier(200.0);
        ShuffledBatchIterator plain = new ShuffledBatchIterator(xTrain, yTrain, 20, 3, true);
        for (int epoch = 0; epoch < 4; epoch++) {
            ce.network().fit(plain);
            plain.reset();
        }
        double penaltyCe = meanPenalty(ce.network(), xTrain, tangents);
        assertTrue(penaltyMtc < 0.5 * penaltyCe && penaltyMtc < penaltyBefore,
                "penalty before " + penaltyBefore + ", after MTC " + penaltyMtc + ", after cross-entropy only " + penaltyCe);
        assertInstanceOf(TangentPropOutputLayerImpl.class, run.best().getOutputLayer());
    }

    private static double meanPenalty(MultiLayerNetwork net, INDArray features, Tangents t) {
        return ManifoldTangentClassifier.of(net).meanTangentPenalty(features, t);
    }

    @Test
    void plainNetworkIsAnOrdinaryMlpWithTheSamePredictions() {
        ManifoldTangentClassifier mtc = classifier(1.0);
        mtc.network().fit(new DataSet(Nd4j.hstack(rows(x, 0, 40), ManifoldTangents.of(stack, TangentOptions.of(K)).compute(rows(x, 0, 40)).flattened()),
                rows(y, 0, 40)));
        MultiLayerNetwork plain = mtc.toPlainNetwork();
        assertInstanceOf(DenseLayer.class, plain.getLayer(0).conf().getLayer());
        assertInstanceOf(OutputLayer.class, plain.getLayer(2).conf().getLayer());
        assertArrayEquals(mtc.network().params().toDoubleVector(), plain.params().toDoubleVector());
        INDArray test = rows(x, 120, 160);
        assertArrayEquals(mtc.network().output(test).dup().data().asDouble(), plain.output(test).dup().data().asDouble(), 1e-14);
        // the classifier starts from the pretrained encoders
        assertArrayEquals(stack.autoencoders().get(1).W().dup('c').data().asDouble(),
                classifier(1.0).network().getLayer(1).getParam("W").dup('c').data().asDouble());
    }

    @Test
    void iteratorAppendsTheTangentsOfEachRowAndStreamingGivesTheSameFeatures() {
        INDArray xs = rows(x, 0, 30);
        INDArray ys = rows(y, 0, 30);
        ManifoldTangents mt = ManifoldTangents.of(stack, new TangentOptions(K, 200, 2, 7, 1));
        Tangents t = mt.compute(xs);
        TangentAppendingIterator shuffled = new TangentAppendingIterator(xs, ys, t, 8, 4, true);
        DataSet b = shuffled.next();
        assertEquals(8 * (1 + K), b.getFeatures().length() / 8);
        assertEquals(24, shuffled.inputColumns());
        for (int r = 0; r < 8; r++) {
            INDArray row = b.getFeatures().getRow(r);
            int source = -1;
            for (int i = 0; i < 30; i++) {
                if (xs.getRow(i).equalsWithEps(row.get(NDArrayIndex.interval(0, 8)), 0.0)) {
                    source = i;
                }
            }
            assertTrue(source >= 0);
            assertArrayEquals(t.flattened().getRow(source).toDoubleVector(), row.get(NDArrayIndex.interval(8, 24)).toDoubleVector(), 0.0);
            assertArrayEquals(ys.getRow(source).toDoubleVector(), b.getLabels().getRow(r).toDoubleVector(), 0.0);
        }
        TangentAppendingIterator stored = new TangentAppendingIterator(xs, ys, t, 10, 0, false);
        TangentAppendingIterator streamed = TangentAppendingIterator.streaming(new ShuffledBatchIterator(xs, ys, 10, 0, false), mt);
        while (stored.hasNext()) {
            // each batch starts its own random block, so agreement comes from convergence (200 iterations)
            assertArrayEquals(stored.next().getFeatures().dup('c').data().asDouble(), streamed.next().getFeatures().dup('c').data().asDouble(), 1e-6);
        }
        assertTrue(!streamed.hasNext());
    }

    /** A standardiser on the appended array would shift the tangents (directions): refused, naming the fix. */
    @Test
    void aPreProcessorOnTheAppendedArrayIsRefused() {
        Tangents t = ManifoldTangents.of(stack, TangentOptions.of(K)).compute(rows(x, 0, 10));
        TangentAppendingIterator it = new TangentAppendingIterator(rows(x, 0, 10), rows(y, 0, 10), t, 5, 0, false);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> it.setPreProcessor(new org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize()));
        assertTrue(e.getMessage().contains("NormalizerStandardize") && e.getMessage().contains("base iterator"), e.getMessage());
        it.setPreProcessor(null);
        assertEquals(null, it.getPreProcessor());
        assertEquals(5, it.next().numExamples());
    }

    @Test
    void badInputNamesWhatDisagrees() {
        Tangents t = ManifoldTangents.of(stack, TangentOptions.of(K)).compute(rows(x, 0, 10));
        IllegalArgumentException rowsDiffer = assertThrows(IllegalArgumentException.class,
                () -> new TangentAppendingIterator(rows(x, 0, 12), rows(y, 0, 12), t, 4, 0, false));
        assertTrue(rowsDiffer.getMessage().contains("12 feature rows") && rowsDiffer.getMessage().contains("got 10 rows"), rowsDiffer.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> ManifoldTangents.of(stack, TangentOptions.of(6)));
        assertTrue(tooMany.getMessage().contains("k = 6") && tooMany.getMessage().contains("[1, 5]"), tooMany.getMessage());
        // tangents of another k than the layers expect: the width check names both widths it accepts
        ManifoldTangentClassifier mtc = classifier(1.0);
        Tangents three = ManifoldTangents.of(stack, TangentOptions.of(3)).compute(rows(x, 0, 10));
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> mtc.network().fit(new TangentAppendingIterator(rows(x, 0, 10), rows(y, 0, 10), three, 5, 0, false)));
        assertTrue(width.getMessage().contains("[5, 32]") && width.getMessage().contains("[m, 24]"), width.getMessage());
    }
}

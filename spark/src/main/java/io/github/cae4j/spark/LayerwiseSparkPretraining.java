package io.github.cae4j.spark;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.LayerReport;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Greedy layer-wise pretraining of a stack on Spark, as the library's {@code GreedyLayerwisePretrainer}
 * does on one machine: autoencoder k trains (on the executors) on the codes of autoencoders 1..k-1,
 * which the executors compute from the RDD ({@link DataSetRdds#encode}). Differences: a fixed number of
 * epochs instead of early stopping (the held-out score is logged each epoch), and untied layers only
 * ({@link Autoencoders}; input noise and the CAE+H term train as in one JVM). The result is the
 * library's {@link PretrainedStack}, so {@code PretrainedStack.classifier} builds the MLP to fine-tune.
 */
public final class LayerwiseSparkPretraining {

    private final List<LayerPretrainOptions> layers;
    private final TrainingOptions training;
    private final DataType dataType;

    /** @throws IllegalArgumentException for an empty stack, or a layer that cannot train on Spark (tied) */
    public LayerwiseSparkPretraining(List<LayerPretrainOptions> layers, TrainingOptions training, DataType dataType) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("LayerwiseSparkPretraining: at least one layer is required, got " + layers);
        }
        layers.forEach(Autoencoders::requireSparkTrainable);
        if (training == null || dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("LayerwiseSparkPretraining: training options and a floating-point dataType are required, got "
                    + training + ", " + dataType);
        }
        this.layers = List.copyOf(layers);
        this.training = training;
        this.dataType = dataType;
    }

    /**
     * @param train       minibatches of unlabelled inputs (labels = features), {@code training.batchSizePerWorker()} each
     * @param heldOut     held-out inputs {@code [n, nIn]} for the logged scores and the reports
     * @param stageOffset and {@code stages}: where these layers sit in a longer run, for the log lines
     */
    public PretrainedStack pretrain(JavaSparkContext sc, JavaRDD<DataSet> train, INDArray heldOut, int stageOffset, int stages) {
        JavaRDD<DataSet> x = train;
        INDArray v = heldOut.castTo(dataType);
        List<PretrainedAutoencoder> trained = new ArrayList<>();
        List<LayerReport> reports = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            LayerPretrainOptions opts = layers.get(k);
            String stage = String.format("stage %d of %d: CAE %d->%d (%s)", stageOffset + k + 1, stages, v.size(1), opts.nOut(),
                    opts.settings());
            MultiLayerNetwork net = Autoencoders.network(opts, v.size(1), training.seed() + k, dataType);
            DataSet held = new DataSet(v, v);
            DistributedTraining.Result r = DistributedTraining.fit(sc, net, x, training, stage, n -> n.score(held));
            PretrainedAutoencoder ae = Autoencoders.extract(r.network(), opts);
            Map<Integer, Double> byEpoch = new LinkedHashMap<>();
            r.epochs().forEach(e -> byEpoch.put(e.epoch() - 1, e.score()));
            double seconds = r.epochs().stream().mapToDouble(DistributedTraining.Epoch::seconds).sum();
            reports.add(new LayerReport(k, v.size(1), opts.nOut(), opts.lambda(), opts.corruptionLevel(), opts.gaussianNoise(),
                    opts.gamma(), ae.reconstructionError(v),
                    JacobianNorms.meanFrobenius(ae.jacobianFrobeniusSquared(v)), r.epochs().size(), r.epochs().size() - 1,
                    seconds, byEpoch));
            trained.add(ae);
            x = DataSetRdds.encode(x, ae.W(), ae.b(), ae.activation());
            v = ae.encode(v);
        }
        return new PretrainedStack(trained, reports);
    }
}

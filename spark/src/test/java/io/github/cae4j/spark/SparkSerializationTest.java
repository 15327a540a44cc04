package io.github.cae4j.spark;

import io.github.cae4j.pretrain.LayerPretrainOptions;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import scala.reflect.ClassTag$;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network of cae4j's layers survives the serialisers Spark uses: Java (closures, and DL4J's
 * broadcasts of configurations) and Kryo with ND4J's registrator (records and task results, and
 * anything a user puts into an RDD). The network is serialised mid-training, right after a training
 * forward pass and a fit, when the runtime layers hold their per-step caches (before cae4j made those
 * caches transient, Kryo failed on them).
 *
 * <p>Networks in Java form go through the JDK's object streams: Spark's own {@code JavaSerializer}
 * cannot read back any {@code MultiLayerNetwork}, DL4J's plain layers included (its {@code readObject}
 * calls {@code available()} on Spark's stream, which throws); DL4J never ships a network that way (it
 * broadcasts the configuration's JSON and the parameters), and the last test pins that limitation.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SparkSerializationTest {

    private static SerializerInstance serializer(String kind) {
        SparkConf conf = SparkContexts.conf("serialisation", "local[1]");
        Serializer s = kind.equals("kryo") ? new KryoSerializer(conf) : new JavaSerializer(conf);
        return s.newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance s, T value) {
        var tag = ClassTag$.MODULE$.<T>apply(Object.class);
        return (T) s.deserialize(s.serialize(value, tag), tag);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTripNetwork(String kind, T value) throws IOException, ClassNotFoundException {
        if (kind.equals("kryo")) {
            return roundTrip(serializer(kind), value);
        }
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    private static MultiLayerNetwork trainedCae() {
        LayerPretrainOptions opts = LayerPretrainOptions.cae(6, 0.7).withTiedWeights(false).withL2(1e-3);
        MultiLayerNetwork net = Autoencoders.network(opts, 10, 3, DataType.FLOAT);
        var x = Nd4j.rand(DataType.FLOAT, 8, 10);
        net.fit(new DataSet(x, x));
        // a training-mode forward pass leaves the contractive layer's per-step cache filled
        net.feedForward(x, true);
        return net;
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void configurationRoundTrips(String kind) {
        MultiLayerConfiguration conf = trainedCae().getLayerWiseConfigurations();
        MultiLayerConfiguration back = roundTrip(serializer(kind), conf);
        assertEquals(conf.toJson(), back.toJson());
        assertEquals(conf, back);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void networkRoundTripsBufferForBuffer(String kind) throws Exception {
        MultiLayerNetwork net = trainedCae();
        MultiLayerNetwork back = roundTripNetwork(kind, net);
        assertEquals(net.getLayerWiseConfigurations().toJson(), back.getLayerWiseConfigurations().toJson());
        assertArrayEquals(net.params().data().asFloat(), back.params().data().asFloat());
        var x = Nd4j.rand(DataType.FLOAT, 4, 10);
        assertArrayEquals(net.output(x).data().asFloat(), back.output(x).data().asFloat());
        // and it still trains: the layers' caches came back empty, not stale. Not after Java: DL4J's
        // readObject leaves the network's listener list null, so fit and setListeners throw an NPE, for
        // its plain layers too (Kryo restores the list).
        if (kind.equals("kryo")) {
            back.fit(new DataSet(x, x));
            assertTrue(Double.isFinite(back.score()), "score after a step: " + back.score());
        }
    }

    @Test
    void sparkJavaSerializerCannotReadAnyDl4jNetwork() {
        MultiLayerNetwork plain = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(10).build()).build());
        plain.init();
        var e = assertThrows(Exception.class, () -> roundTrip(serializer("java"), plain));
        assertTrue(String.valueOf(e.getMessage()).contains("Cannot read from stream"), e.toString());
    }
}

package io.github.cae4j.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.params.PretrainParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter layout of a {@link ContractiveDenseLayer}: {@code W [nIn, nOut]} ('f' order), then
 * {@code b [nOut]} (unless {@code hasBias} is false), then the visible bias {@code vb [nIn]} used
 * only by the tied decoder during layer-wise pretraining. Keys are DL4J's own
 * ({@code "W"}, {@code "b"}, {@code "vb"}), so weights copy one-to-one into a {@code DenseLayer}.
 *
 * <p>The flat order must equal the map order: DL4J's updater walks the parameter table in iteration
 * order and assumes contiguous slices.
 */
public final class ContractiveParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = DefaultParamInitializer.WEIGHT_KEY;
    public static final String BIAS_KEY = DefaultParamInitializer.BIAS_KEY;
    public static final String VISIBLE_BIAS_KEY = PretrainParamInitializer.VISIBLE_BIAS_KEY;

    private static final ContractiveParamInitializer INSTANCE = new ContractiveParamInitializer();

    private ContractiveParamInitializer() {
    }

    public static ContractiveParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        ContractiveDenseLayer c = (ContractiveDenseLayer) layer;
        return c.getNIn() * c.getNOut() + (c.hasBias() ? c.getNOut() : 0) + c.getNIn();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(3);
        keys.add(WEIGHT_KEY);
        keys.addAll(biasKeys(layer));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.singletonList(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((ContractiveDenseLayer) layer).hasBias()
                ? List.of(BIAS_KEY, VISIBLE_BIAS_KEY) : List.of(VISIBLE_BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key) || VISIBLE_BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        ContractiveDenseLayer c = (ContractiveDenseLayer) conf.getLayer();
        long expected = numParams(c);
        if (paramsView.length() != expected) {
            throw new IllegalStateException("ContractiveDenseLayer \"" + c.getLayerName() + "\": expected a parameter view of length "
                    + expected + " (nIn=" + c.getNIn() + ", nOut=" + c.getNOut() + "), got " + paramsView.length());
        }
        Map<String, INDArray> views = slice(c, paramsView);
        long[] wShape = {c.getNIn(), c.getNOut()};
        INDArray w;
        if (initializeParams) {
            w = c.getWeightInitFn().init(c.getNIn(), c.getNOut(), wShape, IWeightInit.DEFAULT_WEIGHT_INIT_ORDER,
                    views.get(WEIGHT_KEY));
            if (c.hasBias()) {
                views.get(BIAS_KEY).assign(c.getBiasInit());
            }
            views.get(VISIBLE_BIAS_KEY).assign(c.getVisibleBiasInit());
        } else {
            w = WeightInitUtil.reshapeWeights(wShape, views.get(WEIGHT_KEY));
        }
        views.put(WEIGHT_KEY, w);
        // Synchronized like DefaultParamInitializer's table: ParallelWrapper reads it from several threads.
        Map<String, INDArray> params = Collections.synchronizedMap(new LinkedHashMap<>());
        for (Map.Entry<String, INDArray> e : views.entrySet()) {
            params.put(e.getKey(), e.getValue());
            conf.addVariable(e.getKey());
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        ContractiveDenseLayer c = (ContractiveDenseLayer) conf.getLayer();
        Map<String, INDArray> views = slice(c, gradientView);
        views.put(WEIGHT_KEY, views.get(WEIGHT_KEY).reshape('f', c.getNIn(), c.getNOut()));
        return views;
    }

    /** The one place that knows the flat layout; W is returned flat, callers shape it. */
    private static Map<String, INDArray> slice(ContractiveDenseLayer c, INDArray flatView) {
        INDArray flat = flatView.reshape(flatView.length());
        long nIn = c.getNIn();
        long nOut = c.getNOut();
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        out.put(WEIGHT_KEY, flat.get(NDArrayIndex.interval(offset, offset + nIn * nOut)));
        offset += nIn * nOut;
        if (c.hasBias()) {
            out.put(BIAS_KEY, flat.get(NDArrayIndex.interval(offset, offset + nOut)));
            offset += nOut;
        }
        out.put(VISIBLE_BIAS_KEY, flat.get(NDArrayIndex.interval(offset, offset + nIn)));
        return out;
    }
}

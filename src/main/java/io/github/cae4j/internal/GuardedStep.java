package io.github.cae4j.internal;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.WeakReference;

/**
 * Tells a {@code ContractiveDenseLayer} whether a {@code NonFiniteScoreGuard} watches the training step
 * it is in. The layer refuses a non-finite input with an exception during the forward pass, which
 * comes before DL4J computes the score and calls any listener: with {@code checkEvery > 1}, NaN
 * parameters in the layers below (left by a step the guard did not check) would end {@code fit} with
 * the layer's exception and the NaN parameters still in the network, the guard's snapshot unused. When
 * the guard has seen the previous step of the same MultiLayerNetwork on this thread end, it arms the next one
 * here; the layer then lets the NaN through, the score is NaN, and the guard puts back its snapshot.
 *
 * <p>The network and its guard are held weakly; a layer belongs to the network when its parameters
 * are a view of the network's (the same root buffer), the step is DL4J's iteration counter. The mark
 * holds only while the guard that set it is still among the network's listeners: a user may remove it
 * between two {@code fit(DataSet)} calls, and the layer must then refuse the NaN itself.
 */
public final class GuardedStep {

    private record Armed(WeakReference<MultiLayerNetwork> network, WeakReference<TrainingListener> guard, int iteration) {

        /** Whether {@code layerParams} are a view of the network's parameters and its guard still listens. */
        boolean watches(INDArray layerParams) {
            MultiLayerNetwork net = network.get();
            TrainingListener g = guard.get();
            INDArray params = net == null ? null : net.params();
            return params != null && g != null && root(params.data()) == root(layerParams.data())
                    && net.getListeners() != null && net.getListeners().contains(g);
        }
    }

    private static final ThreadLocal<Armed> ARMED = new ThreadLocal<>();

    private GuardedStep() {
    }

    /** {@code guard}, one of {@code model}'s listeners, will watch its step {@code iteration} on this thread. */
    public static void arm(MultiLayerNetwork model, TrainingListener guard, int iteration) {
        ARMED.set(new Armed(new WeakReference<>(model), new WeakReference<>(guard), iteration));
    }

    /** No step of any network on this thread is watched. */
    public static void disarm() {
        ARMED.remove();
    }

    /**
     * @param layerParams a layer's parameters (a view of its network's)
     * @param iteration   the layer's iteration counter
     * @return whether a guard watches this step of the layer's network on this thread
     */
    public static boolean isArmed(INDArray layerParams, int iteration) {
        Armed armed = ARMED.get();
        return armed != null && layerParams != null && armed.iteration() == iteration && armed.watches(layerParams);
    }

    private static DataBuffer root(DataBuffer b) {
        while (b.originalDataBuffer() != null && b.originalDataBuffer() != b) {
            b = b.originalDataBuffer();
        }
        return b;
    }
}

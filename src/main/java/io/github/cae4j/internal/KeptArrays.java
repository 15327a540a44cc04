package io.github.cae4j.internal;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether arrays a layer kept from its training forward pass can still be read in backprop. They live
 * in the activations workspace, which DL4J keeps open from the forward pass through backprop; a caller
 * driving a layer with its own workspace manager may have closed it (or reopened it, a new generation
 * whose memory overwrites the old) in between, and then the layer must recompute.
 */
public final class KeptArrays {

    private KeptArrays() {
    }

    /** True when every array is null, detached, or in a workspace still open in the generation that allocated it. */
    public static boolean readable(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (!readable(a)) {
                return false;
            }
        }
        return true;
    }

    private static boolean readable(INDArray a) {
        if (a == null) {
            return true;
        }
        if (a.wasClosed()) {
            return false;
        }
        if (!a.isAttached()) {
            return true;
        }
        MemoryWorkspace ws = a.data().getParentWorkspace();
        return ws.isScopeActive() && ws.getGenerationId() == a.data().getGenerationId();
    }
}

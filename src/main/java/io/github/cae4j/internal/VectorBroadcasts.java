package io.github.cae4j.internal;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.Reference;

/**
 * ND4J's row- and column-vector broadcasts ({@code addiRowVector}, {@code diviColumnVector}, ...),
 * with both operands kept reachable until the native op has returned. Every such call in cae4j goes
 * through here ({@code VectorBroadcastsTest} checks the sources).
 *
 * <p>Why: ND4J 1.0.0-M2.1's CPU executioner for broadcast ops ({@code NativeOpExecutioner.exec(BroadcastOp,
 * OpContext)}) reads the operands' native buffers, calls {@code execBroadcast}, and then uses only the
 * result; unlike its reduce, transform, scalar, random and custom ops it does not touch the op again (no
 * profiling hook after the call). Once JIT-compiled, nothing holds the vector (or the input of a
 * non-in-place op) during the native call when the caller passed a temporary, such as
 * {@code x.muliRowVector(W.norm2(0))}. A garbage collection in that window lets ND4J's deallocator free
 * the vector's buffer while the op reads it: wrong values, or a SIGSEGV in {@code sd::DataBuffer::primary()}
 * when the freed struct is read first (it stopped two hours-long Table 1 pretrainings, docs/robustness.md).
 * {@code VectorBroadcastsTest} shows the wrong values through ND4J directly and none through these methods.
 * Passing both operands to {@code kept} after the op already keeps them live through it; the
 * {@link Reference#reachabilityFence}s there make that explicit, so no refactoring can drop it (they cost nothing).
 */
public final class VectorBroadcasts {

    private VectorBroadcasts() {
    }

    /** {@code x += row}, per row of {@code x}, in place. */
    public static INDArray addiRowVector(INDArray x, INDArray row) {
        return kept(x.addiRowVector(row), x, row);
    }

    /** {@code x ⊙= row}, per row of {@code x}, in place. */
    public static INDArray muliRowVector(INDArray x, INDArray row) {
        return kept(x.muliRowVector(row), x, row);
    }

    /** {@code x ⊙ row}, per row of {@code x}, as a new array. */
    public static INDArray mulRowVector(INDArray x, INDArray row) {
        return kept(x.mulRowVector(row), x, row);
    }

    /** {@code x ⊙= column}, per column of {@code x}, in place. */
    public static INDArray muliColumnVector(INDArray x, INDArray column) {
        return kept(x.muliColumnVector(column), x, column);
    }

    /** {@code x ⊙ column}, per column of {@code x}, as a new array. */
    public static INDArray mulColumnVector(INDArray x, INDArray column) {
        return kept(x.mulColumnVector(column), x, column);
    }

    /** {@code x /= column}, per column of {@code x}, in place. */
    public static INDArray diviColumnVector(INDArray x, INDArray column) {
        return kept(x.diviColumnVector(column), x, column);
    }

    /** {@code x −= column}, per column of {@code x}, in place. */
    public static INDArray subiColumnVector(INDArray x, INDArray column) {
        return kept(x.subiColumnVector(column), x, column);
    }

    /** {@code x − column}, per column of {@code x}, as a new array. */
    public static INDArray subColumnVector(INDArray x, INDArray column) {
        return kept(x.subColumnVector(column), x, column);
    }

    private static INDArray kept(INDArray result, INDArray x, INDArray vector) {
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(vector);
        return result;
    }
}

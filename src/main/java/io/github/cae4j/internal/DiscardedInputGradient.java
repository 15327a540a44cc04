package io.github.cae4j.internal;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Tells a first layer whether DL4J will throw its input gradient away. In {@code fit},
 * {@code MultiLayerNetwork.computeGradientAndScore} runs backprop with {@code returnInputActGrad =
 * false}, and {@code calcBackpropGradients} then drops layer 0's epsilon: the layer's last product
 * ({@code δWᵀ}, one of the step's six) is computed for nothing. The layer cannot see that flag, so
 * this reads it off the call stack: the first caller outside cae4j's layers must be
 * {@code MultiLayerNetwork.calcBackpropGradients}, called by {@code computeGradientAndScore}. Every
 * other path (an external {@code backpropGradient}, {@code calculateGradients}, a
 * {@code ComputationGraph}, a wrapping layer, a later DL4J whose methods are named otherwise) does not
 * match, and the gradient is computed as usual.
 */
public final class DiscardedInputGradient {

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String NETWORK = MultiLayerNetwork.class.getName();
    private static final String LIBRARY_PREFIX = "io.github.cae4j.";

    private DiscardedInputGradient() {
    }

    /**
     * @param layerIndex the calling layer's index in its network
     * @return true only when the caller is layer 0 of a {@code MultiLayerNetwork} being fitted
     */
    public static boolean inFitOfFirstLayer(int layerIndex) {
        if (layerIndex != 0) {
            return false;
        }
        List<StackWalker.StackFrame> callers = WALKER.walk(frames -> frames
                .dropWhile(f -> f.getClassName().startsWith(LIBRARY_PREFIX))
                .limit(2)
                .collect(Collectors.toList()));
        return callers.size() == 2
                && is(callers.get(0), "calcBackpropGradients")
                && is(callers.get(1), "computeGradientAndScore");
    }

    private static boolean is(StackWalker.StackFrame frame, String method) {
        return frame.getClassName().equals(NETWORK) && frame.getMethodName().equals(method);
    }
}

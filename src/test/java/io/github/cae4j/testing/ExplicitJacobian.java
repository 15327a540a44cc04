package io.github.cae4j.testing;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The independent oracle for penalty values: builds each example's Jacobian {@code ∂h/∂x} explicitly
 * by central finite differences of a network's own forward pass, so it shares no code with the
 * closed-form penalty under test. Double precision only.
 */
public final class ExplicitJacobian {

    private ExplicitJacobian() {
    }

    /**
     * @param net        an initialised network in double precision
     * @param layerIndex the encoder layer whose output {@code h} is differentiated
     * @param x          input to the whole network {@code [m, nIn]}; for layerIndex 0 it is the encoder input
     * @return {@code ‖∂h/∂x_n‖²_F} per example, {@code [m]}, w.r.t. the <em>network</em> input
     */
    public static double[] frobeniusSquared(MultiLayerNetwork net, int layerIndex, INDArray x, double step) {
        long m = x.size(0);
        long nIn = x.size(1);
        double[] out = new double[(int) m];
        for (int n = 0; n < m; n++) {
            INDArray row = x.getRow(n, true);
            INDArray plus = Nd4j.repeat(row, (int) nIn).reshape(nIn, nIn).dup();
            INDArray minus = plus.dup();
            INDArray eye = Nd4j.eye(nIn).muli(step);
            plus.addi(eye);
            minus.subi(eye);
            INDArray hPlus = encoderOutput(net, layerIndex, plus);
            INDArray hMinus = encoderOutput(net, layerIndex, minus);
            INDArray jacobianT = hPlus.sub(hMinus).divi(2 * step);   // row i = ∂h/∂x_i
            out[n] = jacobianT.mul(jacobianT).sumNumber().doubleValue();
        }
        return out;
    }

    /**
     * The Jacobian of one example, built column by column from central differences of the network's
     * forward pass (no closed form involved).
     *
     * @param row one input to the whole network {@code [1, nIn]}
     * @return {@code ∂h_j/∂x_i} as {@code [nIn, nOut]} (row i = derivative along input i)
     */
    public static INDArray matrix(MultiLayerNetwork net, int layerIndex, INDArray row, double step) {
        long nIn = row.size(1);
        INDArray plus = Nd4j.repeat(row.reshape(1, nIn), (int) nIn).reshape(nIn, nIn).dup();
        INDArray minus = plus.dup();
        INDArray eye = Nd4j.eye(nIn).castTo(row.dataType()).muli(step);
        plus.addi(eye);
        minus.subi(eye);
        return encoderOutput(net, layerIndex, plus).subi(encoderOutput(net, layerIndex, minus)).divi(2 * step);
    }

    private static INDArray encoderOutput(MultiLayerNetwork net, int layerIndex, INDArray x) {
        return net.feedForwardToLayer(layerIndex, x, false).get(layerIndex + 1).get(NDArrayIndex.all(), NDArrayIndex.all()).dup();
    }
}

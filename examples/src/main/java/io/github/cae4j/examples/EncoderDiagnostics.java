package io.github.cae4j.examples;

import io.github.cae4j.diagnostics.ContractionCurve;
import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.diagnostics.JacobianSpectrum;
import io.github.cae4j.diagnostics.Saturation;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The paper's diagnostics of a first-layer encoder on test digits.
 *
 * @param meanJacobianFro     mean ||J_f(x)||_F
 * @param saturatedPct        percentage of saturated sigmoid units (h < 0.05 or h > 0.95)
 * @param singularValues      mean singular values of J over a few test digits, descending (first 50)
 * @param contractionRadii    input distances of the contraction curve
 * @param contractionRatios   mean ||h(x') - h(x)|| / ||x' - x|| at each radius
 * @param testReconstruction  mean reconstruction loss per test digit (NaN for random encoders)
 */
public record EncoderDiagnostics(double meanJacobianFro, double saturatedPct, double[] singularValues,
                                 double[] contractionRadii, double[] contractionRatios, double testReconstruction) {

    static final double[] RADII = {0.1, 0.3, 1, 2, 4, 8};
    private static final int SPECTRUM_POINTS = 10;
    private static final int SPECTRUM_VALUES = 50;

    public static EncoderDiagnostics of(PretrainedAutoencoder ae, INDArray testX, boolean withReconstruction) {
        double meanJ = JacobianNorms.meanFrobenius(ae.jacobianFrobeniusSquared(testX));
        double sat = 100 * Saturation.sigmoidFraction(ae.encode(testX));
        INDArray few = testX.get(NDArrayIndex.interval(0, Math.min(SPECTRUM_POINTS, testX.size(0))), NDArrayIndex.all());
        double[] sv = JacobianSpectrum.meanSingularValues(few, ae.W(), ae.b(), ae.activation()).toDoubleVector();
        double[] top = java.util.Arrays.copyOf(sv, Math.min(SPECTRUM_VALUES, sv.length));
        INDArray curvePoints = testX.get(NDArrayIndex.interval(0, Math.min(500, testX.size(0))), NDArrayIndex.all());
        double[] ratios = ContractionCurve.meanRatios(ae::encode, curvePoints, RADII, 17);
        double recon = withReconstruction ? ae.reconstructionError(testX) : Double.NaN;
        return new EncoderDiagnostics(meanJ, sat, top, RADII.clone(), ratios, recon);
    }
}

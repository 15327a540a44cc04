package io.github.cae4j.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eigen-decomposition of a batch of small symmetric matrices {@code [n, r, r]} (r of about 2..40) by
 * the cyclic Jacobi method, in Java, in double precision.
 *
 * <p>Why not an ND4J op: measured on this project's 2-core machine for 1,000 matrices of 12 x 12,
 * LAPACK {@code syev} through {@code Eigen.symmetricGeneralizedEigenvalues} one matrix at a time takes
 * 0.63 s (the per-call overhead dominates), and the native batched {@code svd} op 3.7 s (FLOAT) to
 * 9 s (DOUBLE); this loop takes a few milliseconds. The matrices are r x r with r = k + oversampling,
 * so the loop touches r² numbers per example against the r·(d·h) multiply-adds of the products
 * that made them: it is not a hot path.
 */
public final class SmallSymmetricEigen {

    private static final int MAX_SWEEPS = 60;

    private SmallSymmetricEigen() {
    }

    /** Eigenvalues in descending order {@code [n, r]} and eigenvectors as columns {@code [n, r, r]}. */
    public record Result(INDArray values, INDArray vectors) {
    }

    /**
     * @param a symmetric matrices {@code [n, r, r]}; not modified
     * @return eigenpairs, eigenvalue j with eigenvector column j, in {@code a}'s data type
     */
    public static Result decompose(INDArray a) {
        if (a.rank() != 3 || a.size(1) != a.size(2)) {
            throw new IllegalArgumentException("expected symmetric matrices [n, r, r], got " + java.util.Arrays.toString(a.shape()));
        }
        int n = (int) a.size(0);
        int r = (int) a.size(1);
        double[] all = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] values = new double[n * r];
        double[] vectors = new double[n * r * r];
        double[] m = new double[r * r];
        double[] v = new double[r * r];
        double[] d = new double[r];
        Integer[] order = new Integer[r];
        for (int e = 0; e < n; e++) {
            System.arraycopy(all, e * r * r, m, 0, r * r);
            jacobi(m, v, r);
            for (int j = 0; j < r; j++) {
                d[j] = m[j * r + j];
                order[j] = j;
            }
            java.util.Arrays.sort(order, (p, q) -> Double.compare(d[q], d[p]));
            for (int j = 0; j < r; j++) {
                int src = order[j];
                values[e * r + j] = d[src];
                for (int i = 0; i < r; i++) {
                    vectors[e * r * r + i * r + j] = v[i * r + src];
                }
            }
        }
        DataType dt = a.dataType();
        return new Result(Nd4j.create(values, new long[]{n, r}, DataType.DOUBLE).castTo(dt),
                Nd4j.create(vectors, new long[]{n, r, r}, DataType.DOUBLE).castTo(dt));
    }

    /**
     * Cyclic Jacobi: rotates {@code m} (row-major r x r, overwritten) to diagonal form and accumulates the
     * rotations into {@code v} (overwritten: eigenvectors as columns). Stops when the off-diagonal mass is
     * below 1e-15 of the total, which takes 5-10 sweeps.
     */
    static void jacobi(double[] m, double[] v, int r) {
        java.util.Arrays.fill(v, 0.0);
        for (int i = 0; i < r; i++) {
            v[i * r + i] = 1.0;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double total = 0;
            for (int p = 0; p < r; p++) {
                for (int q = 0; q < r; q++) {
                    double x = m[p * r + q] * m[p * r + q];
                    total += x;
                    if (p != q) {
                        off += x;
                    }
                }
            }
            if (off <= 1e-30 * Math.max(total, Double.MIN_NORMAL)) {
                return;
            }
            for (int p = 0; p < r - 1; p++) {
                for (int q = p + 1; q < r; q++) {
                    double apq = m[p * r + q];
                    if (apq == 0.0) {
                        continue;
                    }
                    double app = m[p * r + p];
                    double aqq = m[q * r + q];
                    // Rutishauser's stable rotation: t = tan(theta), |theta| <= pi/4.
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < r; k++) {
                        double mkp = m[k * r + p];
                        double mkq = m[k * r + q];
                        m[k * r + p] = c * mkp - s * mkq;
                        m[k * r + q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < r; k++) {
                        double mpk = m[p * r + k];
                        double mqk = m[q * r + k];
                        m[p * r + k] = c * mpk - s * mqk;
                        m[q * r + k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < r; k++) {
                        double vkp = v[k * r + p];
                        double vkq = v[k * r + q];
                        v[k * r + p] = c * vkp - s * vkq;
                        v[k * r + q] = s * vkp + c * vkq;
                    }
                }
            }
        }
    }
}

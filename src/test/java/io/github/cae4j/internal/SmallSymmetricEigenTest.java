package io.github.cae4j.internal;

import io.github.cae4j.testing.DoublePrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java Jacobi solver against LAPACK's syev (via ND4J), matrix by matrix. */
@ExtendWith(DoublePrecision.class)
class SmallSymmetricEigenTest {

    @Test
    void eigenpairsMatchLapackAndReconstructTheMatrices() {
        int n = 4;
        int r = 7;
        INDArray a = Nd4j.randn(new long[]{n, r, r}, Nd4j.getRandomFactory().getNewRandomInstance(5)).castTo(DataType.DOUBLE);
        INDArray sym = a.add(a.permute(0, 2, 1)).divi(2);
        SmallSymmetricEigen.Result result = SmallSymmetricEigen.decompose(sym);
        for (int e = 0; e < n; e++) {
            INDArray m = sym.get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.all()).dup();
            INDArray lapack = Eigen.symmetricGeneralizedEigenvalues(m.dup());   // ascending
            INDArray q = result.vectors().get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray values = result.values().getRow(e);
            for (int j = 0; j < r; j++) {
                assertEquals(lapack.getDouble(r - 1 - j), values.getDouble(j), 1e-12, "eigenvalue " + j + " of matrix " + e);
            }
            INDArray rebuilt = q.mulRowVector(values).mmul(q.transpose());
            assertTrue(rebuilt.sub(m).norm2Number().doubleValue() < 1e-12);
            assertTrue(q.transpose().mmul(q).subi(Nd4j.eye(r)).norm2Number().doubleValue() < 1e-12);
        }
    }
}

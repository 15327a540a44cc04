package io.github.cae4j.testing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helper the "bit-identical" tests rely on must itself see a one-ulp difference that INDArray.equals misses. */
class ExactTest {

    @Test
    void oneUlpIsADifferenceThatIndArrayEqualsMisses() {
        INDArray a = Nd4j.linspace(DataType.FLOAT, 1, 12, 12).reshape(3, 4);
        INDArray b = a.dup();
        b.putScalar(1, 2, Math.nextUp(b.getFloat(1, 2)));
        assertEquals(a, b, "INDArray.equals allows 1e-5: the reason this helper exists");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Exact.assertBitIdentical(a, b, "params"));
        assertTrue(e.getMessage().contains("row-major index 6 [1, 2]") && e.getMessage().startsWith("params"), e.getMessage());
        Exact.assertDiffers(a, b, "one ulp");
    }

    @Test
    void orderAndViewsDoNotMatterButTypeShapeAndSignedZeroDo() {
        INDArray c = Nd4j.rand(DataType.DOUBLE, 4, 5);
        Exact.assertBitIdentical(c, c.dup('f'), "c vs f order");
        Exact.assertBitIdentical(c.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)).dup(),
                c.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)), "view vs copy");
        assertThrows(AssertionFailedError.class, () -> Exact.assertBitIdentical(c, c.castTo(DataType.FLOAT), "dtype"));
        assertThrows(AssertionFailedError.class, () -> Exact.assertBitIdentical(c, c.reshape(5, 4), "shape"));
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 2);
        INDArray negZero = zero.dup();
        negZero.putScalar(0, -0.0f);
        assertThrows(AssertionFailedError.class, () -> Exact.assertBitIdentical(zero, negZero, "signed zero"));
        assertThrows(AssertionFailedError.class, () -> Exact.assertDiffers(c, c.dup('f'), "same values"));
        Exact.assertBitIdentical(c.castTo(DataType.HALF), c.castTo(DataType.HALF), "half");
    }
}

package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded learnable data of MNIST's form (features in [0, 1], 10 one-hot classes), small enough for unit tests. */
final class TinyDigits {

    private TinyDigits() {
    }

    /** Features uniform in [0, 1]; the class is the argmax of a fixed random projection, so an MLP can learn it. */
    static MnistSplits of(int train, int valid, int nIn, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray projection = Nd4j.randn(DataType.FLOAT, nIn, 10);
        INDArray[] x = new INDArray[3];
        INDArray[] y = new INDArray[3];
        int[] n = {train, valid, valid};
        for (int k = 0; k < 3; k++) {
            x[k] = Nd4j.rand(DataType.FLOAT, n[k], nIn);
            INDArray classes = x[k].sub(0.5).mmul(projection).argMax(1);
            y[k] = Nd4j.zeros(DataType.FLOAT, n[k], 10);
            for (int i = 0; i < n[k]; i++) {
                y[k].putScalar(i, classes.getInt(i), 1f);
            }
        }
        return new MnistSplits(x[0], y[0], x[1], y[1], x[2], y[2], "tiny seeded digits");
    }
}

package io.github.cae4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The machine's matrix-product rate at a step's shapes: what a training step could reach at best. */
final class GemmRate implements BenchCase {

    private final INDArray a;
    private final INDArray b;
    private final INDArray c;
    private final Shape shape;

    GemmRate(Shape s) {
        shape = s;
        a = Nd4j.rand(DataType.FLOAT, s.batch(), s.nIn());
        b = Nd4j.rand(DataType.FLOAT, s.nIn(), s.nOut());
        c = Nd4j.create(DataType.FLOAT, new long[]{s.batch(), s.nOut()}, 'f');
    }

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public void step() {
        a.mmul(b, c);
    }

    @Override
    public double usefulFlops() {
        return shape.gemmFlops();
    }
}

package io.github.cae4j.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs each test with ND4J's default data types set to DOUBLE (what gradient checks require, and
 * what makes finite differences meaningful), restoring the previous defaults afterwards.
 */
public final class DoublePrecision implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(DoublePrecision.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("dtypes", new DataType[]{Nd4j.dataType(), Nd4j.defaultFloatingPointType()});
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        DataType[] previous = context.getStore(NS).remove("dtypes", DataType[].class);
        if (previous != null) {
            Nd4j.setDefaultDataTypes(previous[0], previous[1]);
        }
    }
}

package io.github.cae4j.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fails a test that leaves ND4J's global default data types changed ({@code Nd4j.setDefaultDataTypes}
 * without a {@code finally} or {@link DoublePrecision}), and puts them back so the tests after it run
 * in the precision they expect. Registered for every test of this module through JUnit's extension
 * auto-detection ({@code junit-platform.properties}, {@code META-INF/services}); it runs outside
 * {@code @ExtendWith} extensions, so {@link DoublePrecision} has restored the types when it checks.
 */
public final class GlobalDataTypeGuard implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(GlobalDataTypeGuard.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("dtypes", current());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        DataType[] before = context.getStore(NS).remove("dtypes", DataType[].class);
        if (before == null) {
            return;
        }
        DataType[] after = current();
        if (before[0] != after[0] || before[1] != after[1]) {
            Nd4j.setDefaultDataTypes(before[0], before[1]);
            throw new AssertionError(context.getDisplayName() + " changed ND4J's global default data types from "
                    + before[0] + "/" + before[1] + " to " + after[0] + "/" + after[1]
                    + " and did not restore them (use DoublePrecision or restore in finally)");
        }
    }

    private static DataType[] current() {
        return new DataType[]{Nd4j.dataType(), Nd4j.defaultFloatingPointType()};
    }
}

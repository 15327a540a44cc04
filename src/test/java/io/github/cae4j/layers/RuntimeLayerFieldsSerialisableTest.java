package io.github.cae4j.layers;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spark ships a network to its executors with Kryo's field serialiser (and Java serialisation),
 * which writes every non-transient field of the runtime layers. The per-pass caches (the kept forward
 * pass, the pending inference penalty) are records that neither can write, so they must be transient:
 * Kryo failed on {@code pendingInference} in spark/'s {@code SparkSerializationTest} before it was.
 * This checks every runtime layer's own fields here, without Spark.
 */
class RuntimeLayerFieldsSerialisableTest {

    private static final List<Class<?>> RUNTIME_LAYERS = List.of(ContractiveDenseLayerImpl.class, DecoderOutputLayerImpl.class,
            TangentPropDenseLayerImpl.class, TangentPropOutputLayerImpl.class);

    @Test
    void everyNonTransientFieldOfARuntimeLayerIsSerialisable() {
        List<String> bad = new ArrayList<>();
        for (Class<?> layer : RUNTIME_LAYERS) {
            for (Field f : layer.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) {
                    continue;
                }
                Class<?> type = f.getType();
                if (!type.isPrimitive() && !Serializable.class.isAssignableFrom(type)) {
                    bad.add(layer.getSimpleName() + "." + f.getName() + " (" + type.getSimpleName() + ")");
                }
            }
        }
        assertEquals(List.of(), bad, "per-pass caches must be transient");
    }
}

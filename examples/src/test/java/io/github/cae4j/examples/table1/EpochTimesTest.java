package io.github.cae4j.examples.table1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --measure-epochs measures every kind, the CAE+H and MTC ones included; a file from before those rows still reads. */
class EpochTimesTest {

    @TempDir
    Path dir;

    @Test
    void everyKindIsMeasuredAndRoundTrips() throws IOException {
        EpochTimes.Measured m = EpochTimes.measure(TinyDigits.of(300, 100, 12, 1), 8, dir.resolve("scratch"));
        Map<String, Object> json = m.cpu().toJson();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (e.getValue() instanceof Double v) {
                assertTrue(Double.isFinite(v) && v >= 0, e.getKey() + " = " + v);
            }
        }
        assertTrue(m.wall().pretrainCaeH() > 0 && m.wall().finetuneMtcK1() > 0 && m.wall().tangentsPer1000() > 0, m.wall().toString());
        Path file = dir.resolve(EpochTimes.FILE);
        RowFiles.write(file, json);
        assertEquals(m.cpu(), EpochTimes.read(file));
    }

    @Test
    void aFileFromBeforeTheFollowUpRowsTakesTheDocumentedEstimatesForThem() throws IOException {
        Map<String, Object> old = new LinkedHashMap<>(EpochTimes.DOCUMENTED.toJson());
        for (String k : new String[]{"pretrain_cae_h", "pretrain_cae_h_layer2", "finetune_mtc_k1_batch100", "tangents_per_1000_per_k"}) {
            old.remove(k);
        }
        old.put("pretrain_cae", 7.0);
        Path file = dir.resolve("old.json");
        RowFiles.write(file, old);
        EpochTimes t = EpochTimes.read(file);
        assertEquals(7.0, t.pretrainCae(), 0.0);
        assertEquals(EpochTimes.DOCUMENTED.pretrainCaeH(), t.pretrainCaeH(), 0.0);
        assertEquals(EpochTimes.DOCUMENTED.tangentsPer1000(), t.tangentsPer1000(), 0.0);
        assertTrue(t.source().contains("CAE+H and MTC: the documented estimates"), t.source());
        // MTC epochs: the two-layer epoch times (1 + 0.8 k); tangents linear in digits and k
        assertEquals(18.1 * (1 + 8 * 0.8), EpochTimes.DOCUMENTED.finetuneMtc(100, 8), 1e-9);
        assertEquals(2.5 * 8 * 50, EpochTimes.DOCUMENTED.tangents(50_000, 8), 1e-9);
        JsonNode n = RowFiles.read(file);
        assertTrue(!n.has("pretrain_cae_h"));
    }
}

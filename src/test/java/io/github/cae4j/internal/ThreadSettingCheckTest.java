package io.github.cae4j.internal;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadSettingCheckTest {

    @Test
    void warnsOnlyWhenThePolicyIsUnsetAndOpenMpHasThreads() {
        String warning = ThreadSettingCheck.message(Map.of());
        assertTrue(warning != null, "a warning when nothing is set");
        assertTrue(warning.contains("Export OMP_WAIT_POLICY=PASSIVE before starting the JVM"), warning);
        assertNull(ThreadSettingCheck.message(Map.of("OMP_WAIT_POLICY", "PASSIVE")));
        assertNull(ThreadSettingCheck.message(Map.of("OMP_WAIT_POLICY", "ACTIVE")), "a deliberate choice is respected");
        assertNull(ThreadSettingCheck.message(Map.of("OMP_NUM_THREADS", "1")), "one thread cannot spin against another");
        assertTrue(ThreadSettingCheck.message(Map.of("OMP_NUM_THREADS", "2")) != null);
    }
}

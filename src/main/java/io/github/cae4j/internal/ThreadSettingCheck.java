package io.github.cae4j.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One warning per JVM when ND4J's OpenMP threads will spin between ops. libnd4j's OpenMP runtime
 * (libgomp) reads {@code OMP_WAIT_POLICY} once, when the native library loads, from the process
 * environment, which a Java library cannot change portably once the JVM runs; by the time a cae4j
 * layer is built ND4J is usually loaded already. So the library cannot apply the setting itself; it
 * names the fix instead. Measured on 2 cores: training steps up to 3.4x faster with PASSIVE
 * (docs/performance.md).
 */
public final class ThreadSettingCheck {

    private static final Logger log = LoggerFactory.getLogger(ThreadSettingCheck.class);
    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    private ThreadSettingCheck() {
    }

    /** Logs the warning the first time a cae4j layer is created in a JVM whose environment lacks the setting. */
    public static void warnOnce() {
        if (CHECKED.compareAndSet(false, true)) {
            String message = message(System.getenv());
            if (message != null) {
                log.warn(message);
            }
        }
    }

    /** The warning for this environment, or null when OMP_WAIT_POLICY is set or OpenMP runs one thread. */
    static String message(Map<String, String> env) {
        if (env.containsKey("OMP_WAIT_POLICY") || "1".equals(env.get("OMP_NUM_THREADS"))) {
            return null;
        }
        return "OMP_WAIT_POLICY is not set: ND4J's OpenMP threads spin after every op and slow down its matrix products"
                + " (training steps up to 3.4x slower on 2 cores in cae4j's measurements). Export OMP_WAIT_POLICY=PASSIVE"
                + " before starting the JVM (it is read once, when ND4J's native library loads).";
    }
}

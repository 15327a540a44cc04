package io.github.cae4j.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Two (or more) builds of the cae4j library in one JVM, each in its own class loader (DL4J and ND4J
 * shared), their training steps interleaved in timed rounds: an A/B of a code change that every round's
 * machine load hits alike, which separate processes on a shared machine cannot give.
 *
 * <pre>
 *   git worktree add /tmp/cae4j-main main &amp;&amp; mvn -q -f /tmp/cae4j-main/pom.xml -DskipTests compile
 *   mvn -q -f benchmarks/pom.xml -Pmkl exec:java -Dexec.mainClass=io.github.cae4j.bench.VersionAb \
 *       -Dexec.args="old=/tmp/cae4j-main/target/classes,new=target/classes gemm,cae,plain,cae-tied,cae-output 7 1"
 * </pre>
 * Arguments: {@code name=classes-dir-or-jar,...}, cases ({@link VersionCase}), rounds, seconds per case per round.
 */
public final class VersionAb {

    private VersionAb() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: name=dir,name=dir cases rounds seconds; got " + Arrays.toString(args));
        }
        String[] versions = args[0].split(",");
        String[] cases = args[1].split(",");
        int rounds = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        URL benchClasses = VersionCase.class.getProtectionDomain().getCodeSource().getLocation();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> names = new ArrayList<>();
        List<Runnable> steps = new ArrayList<>();
        for (String v : versions) {
            String[] kv = v.split("=", 2);
            ClassLoader loader = new ChildFirst(new URL[]{benchClasses, new File(kv[1]).toURI().toURL()}, VersionAb.class.getClassLoader());
            System.out.println(kv[0] + ": cae4j from " + loader.loadClass("io.github.cae4j.layers.ContractiveDenseLayer")
                    .getProtectionDomain().getCodeSource().getLocation());
            @SuppressWarnings("unchecked")
            Function<String, Runnable> build = (Function<String, Runnable>) loader.loadClass(VersionCase.class.getName())
                    .getDeclaredConstructor().newInstance();
            for (String c : cases) {
                names.add(kv[0] + ":" + c);
                steps.add(build.apply(c));
            }
        }
        for (Runnable r : steps) {
            for (int i = 0; i < 5; i++) {
                r.run();
            }
        }
        double[][] ms = new double[steps.size()][rounds];
        double[][] cpu = new double[steps.size()][rounds];
        String loadBefore = Machine.loadAverage();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < steps.size(); k++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                long now;
                int n = 0;
                do {
                    steps.get(k).run();
                    n++;
                    now = System.nanoTime();
                } while (now - t0 < seconds * 1e9);
                ms[k][r] = (now - t0) / 1e6 / n;
                cpu[k][r] = (os.getProcessCpuTime() - cpu0) / 1e6 / n;
            }
        }
        System.out.println("cpu: " + Machine.cpuModel() + ", blas: " + Machine.blas() + ", OMP_WAIT_POLICY="
                + System.getenv("OMP_WAIT_POLICY") + ", load " + loadBefore + " -> " + Machine.loadAverage());
        for (int k = 0; k < steps.size(); k++) {
            System.out.printf(Locale.ROOT, "%-22s ms per step: wall median %8.2f min %8.2f | cpu median %8.2f | rounds %s%n",
                    names.get(k), Timing.median(ms[k]), Arrays.stream(ms[k]).min().orElse(Double.NaN), Timing.median(cpu[k]),
                    Arrays.toString(Arrays.stream(ms[k]).map(x -> Math.round(x * 10) / 10.0).toArray()));
        }
    }

    /** Loads cae4j's classes (and {@link VersionCase}) from its own URLs first, everything else from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) throws MalformedURLException {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean own = (name.startsWith("io.github.cae4j.") && !name.startsWith("io.github.cae4j.bench."))
                    || name.equals(VersionCase.class.getName());
            if (!own) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}

package io.github.cae4j.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run in its own JVM by {@link VectorBroadcastsTest}: multiplies a matrix of ones by a temporary row of
 * twos, {@code x.muliRowVector(row)}, either through ND4J directly ({@code nd4j}) or through
 * {@link VectorBroadcasts} ({@code cae4j}), JIT-compiled, while another thread keeps collecting garbage,
 * and counts the products that are not all twos. Arguments: mode, seconds at most, stop after this many
 * wrong products, stop after this many products (0: no limit). Prints {@code products=N wrong=W}.
 */
public final class BroadcastRaceProbe {

    private static final int ROWS = 256;
    private static final int COLUMNS = 1 << 16;   // 64 MB of x: the op runs long enough for a collection to land inside it

    private BroadcastRaceProbe() {
    }

    public static void main(String[] args) {
        boolean throughCae4j = switch (args[0]) {
            case "nd4j" -> false;
            case "cae4j" -> true;
            default -> throw new IllegalArgumentException("mode must be nd4j or cae4j, got " + args[0]);
        };
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        long stopAtWrong = Long.parseLong(args[2]);
        long maxProducts = Long.parseLong(args[3]);

        // Compiled first (C2 drops dead references; the interpreter keeps every local until the frame ends).
        INDArray small = Nd4j.ones(DataType.FLOAT, 4, 64);
        for (int i = 0; i < 30_000; i++) {
            step(small, 64, throughCae4j);
        }
        Thread collector = new Thread(() -> {
            while (true) {
                System.gc();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "collector");
        collector.setDaemon(true);
        collector.start();

        INDArray x = Nd4j.create(DataType.FLOAT, ROWS, COLUMNS);
        long products = 0;
        long wrong = 0;
        while (System.nanoTime() < deadline && wrong < stopAtWrong && (maxProducts == 0 || products < maxProducts)) {
            x.assign(1.0);
            step(x, COLUMNS, throughCae4j);
            if (x.minNumber().doubleValue() != 2.0 || x.maxNumber().doubleValue() != 2.0) {
                wrong++;
            }
            products++;
        }
        System.out.println("products=" + products + " wrong=" + wrong);
    }

    private static void step(INDArray x, int columns, boolean throughCae4j) {
        if (throughCae4j) {
            viaCae4j(x, columns);
        } else {
            viaNd4j(x, columns);
        }
    }

    /** The row is a temporary: after this call nothing in compiled code refers to it. */
    private static void viaNd4j(INDArray x, int columns) {
        x.muliRowVector(Nd4j.valueArrayOf(new long[]{1, columns}, 2.0f));
    }

    private static void viaCae4j(INDArray x, int columns) {
        VectorBroadcasts.muliRowVector(x, Nd4j.valueArrayOf(new long[]{1, columns}, 2.0f));
    }
}

package io.github.cae4j.training;

import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Logs each early-stopping epoch through SLF4J: epoch of maximum, score, best so far, time per
 * epoch and an ETA (an upper bound: it assumes training runs to the epoch limit).
 */
public final class EarlyStoppingProgressLogger implements EarlyStoppingListener<MultiLayerNetwork> {

    private static final Logger log = LoggerFactory.getLogger(EarlyStoppingProgressLogger.class);

    private final String name;
    private final int maxEpochs;
    private final boolean minimize;
    private long startNanos;
    private double best;
    private int bestEpoch = -1;

    /**
     * @param name      what is being trained, e.g. {@code "pretrain layer 1 (CAE)"}
     * @param maxEpochs the epoch limit, for the ETA
     * @param minimize  whether a lower score is better
     */
    public EarlyStoppingProgressLogger(String name, int maxEpochs, boolean minimize) {
        this.name = name;
        this.maxEpochs = maxEpochs;
        this.minimize = minimize;
    }

    @Override
    public void onStart(EarlyStoppingConfiguration<MultiLayerNetwork> esConfig, MultiLayerNetwork net) {
        startNanos = System.nanoTime();
        best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        log.info("{}: starting, at most {} epochs", name, maxEpochs);
    }

    @Override
    public void onEpoch(int epochNum, double score, EarlyStoppingConfiguration<MultiLayerNetwork> esConfig,
                        MultiLayerNetwork net) {
        if (minimize ? score < best : score > best) {
            best = score;
            bestEpoch = epochNum;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int done = epochNum + 1;
        double perEpoch = elapsed / done;
        log.info("{}: epoch {}/{} score {} (best {} at epoch {}), {} s/epoch, elapsed {}, ETA <= {}",
                name, done, maxEpochs, fmt(score), fmt(best), bestEpoch + 1, String.format("%.1f", perEpoch),
                duration(elapsed), duration(perEpoch * Math.max(0, maxEpochs - done)));
    }

    @Override
    public void onCompletion(EarlyStoppingResult<MultiLayerNetwork> result) {
        log.info("{}: stopped after {} epochs ({}: {}), best epoch {}", name, result.getTotalEpochs(),
                result.getTerminationReason(), result.getTerminationDetails(), result.getBestModelEpoch() + 1);
    }

    private static String fmt(double v) {
        return String.format("%.5g", v);
    }

    /** {@code 1h05m} or {@code 3m07s}: how ETAs and elapsed times are logged. */
    public static String duration(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}

package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fine-tunes one MLP with a {@link Finetuner}, epoch by epoch, and keeps it in a directory so that
 * a later call continues where the last one stopped: successive halving gives a candidate a few
 * epochs, then more; a rerun after an interruption redoes only the call that was cut short.
 *
 * <p>Each epoch reshuffles the training digits from the seed and the epoch number
 * ({@link ShuffledBatchIterator#seekEpoch}), then measures the validation error. The epoch count
 * the learning-rate schedule reads, the optimiser's state and the parameters are saved with the
 * model after every call ({@code state-e<k>.zip}), the best epoch's parameters beside it
 * ({@code best-e<j>.zip}), and {@code progress.json}, written last, names both: a file that
 * progress.json does not name is a leftover of an interrupted call and is ignored. Training the same
 * run in one call or in several gives the same numbers.
 *
 * <p>Stops at the budget, after {@code patience} epochs without a lower validation error, or when
 * the parameters stop being finite (diverged; the best earlier epoch is kept).
 */
final class FineTuneRun {

    private static final Logger log = LoggerFactory.getLogger(FineTuneRun.class);
    static final String PROGRESS = "progress.json";
    private static final int EVAL_BATCH = 1000;
    /** Seconds between saves within a call: about 10 MB each for the 784-1000-10 MLP and Adam's state. */
    static final double CHECKPOINT_SECONDS = 120;

    private FineTuneRun() {
    }

    /**
     * What a run has done so far.
     *
     * @param validErrorPct validation error % after each epoch
     * @param bestEpoch     1-based epoch of the lowest validation error (the first such), 0 before any
     * @param stopped       why it stopped for good (patience, diverged, epoch limit), or null while it can continue
     * @param seconds       wall time of all calls
     * @param stateFile     the model with its optimiser state after the last epoch, null before any
     * @param bestFile      the best epoch's model, null before any
     */
    record Progress(List<Double> validErrorPct, int bestEpoch, String stopped, double seconds, String stateFile, String bestFile) {

        static final Progress NONE = new Progress(List.of(), 0, null, 0, null, null);

        int epochs() {
            return validErrorPct.size();
        }

        /** The lowest validation error within the first {@code budget} epochs; 100 when there is none (diverged at once). */
        double bestWithin(int budget) {
            double best = 100;
            for (int e = 0; e < Math.min(budget, validErrorPct.size()); e++) {
                best = Math.min(best, validErrorPct.get(e));
            }
            return best;
        }

        /** 1-based epoch of {@link #bestWithin}, 0 when there is none. */
        int bestEpochWithin(int budget) {
            int best = 0;
            for (int e = 0; e < Math.min(budget, validErrorPct.size()); e++) {
                if (best == 0 || validErrorPct.get(e) < validErrorPct.get(best - 1)) {
                    best = e + 1;
                }
            }
            return best;
        }

        /** Whether {@code budget} epochs (or fewer, when it stopped) are done. */
        boolean reached(int budget) {
            return stopped != null || epochs() >= budget;
        }

        double bestErrorPct() {
            return bestWithin(Integer.MAX_VALUE);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs());
            m.put("best_epoch", bestEpoch);
            m.put("best_valid_error_pct", bestErrorPct());
            m.put("stopped", stopped);
            m.put("seconds", seconds);
            m.put("state_file", stateFile);
            m.put("best_file", bestFile);
            m.put("valid_error_pct_by_epoch", validErrorPct);
            return m;
        }

        static Progress fromJson(JsonNode n) {
            List<Double> errors = new ArrayList<>();
            n.get("valid_error_pct_by_epoch").forEach(v -> errors.add(v.asDouble()));
            return new Progress(List.copyOf(errors), n.get("best_epoch").asInt(), text(n.get("stopped")), n.get("seconds").asDouble(),
                    text(n.get("state_file")), text(n.get("best_file")));
        }

        private static String text(JsonNode n) {
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    /** The saved progress of the run in {@code dir}, {@link Progress#NONE} when it has not started. */
    static Progress progress(Path dir) throws IOException {
        Path file = dir.resolve(PROGRESS);
        return Files.isRegularFile(file) ? Progress.fromJson(RowFiles.read(file)) : Progress.NONE;
    }

    /** The best epoch's model. */
    static MultiLayerNetwork best(Path dir) throws IOException {
        Progress p = progress(dir);
        if (p.bestFile() == null) {
            throw new IOException(dir + ": no fine-tuned model (the run " + (p.stopped() == null ? "has not started"
                    : p.stopped() + ", before any epoch was evaluated") + ")");
        }
        return ModelFiles.load(dir.resolve(p.bestFile()), false);
    }

    /**
     * Trains the run in {@code dir} until it has done {@code budget} epochs (at most the fine-tuner's
     * limit) or stopped for good; does nothing when it already has.
     *
     * @param fresh  builds the untrained MLP (pretrained encoder + new output layer) when the run has not started
     * @param seed   seeds the minibatch order (the MLP's own initialisation is seeded by {@code fresh})
     */
    static Progress advance(String name, Path dir, Supplier<MultiLayerNetwork> fresh, Finetuner f, int budget, long seed,
                            MnistSplits data) throws IOException {
        return advance(name, dir, fresh, f, budget, seed, data, CHECKPOINT_SECONDS);
    }

    /** {@link #advance} saving within the call after the first epoch that ends {@code checkpointSeconds} after the last save. */
    static Progress advance(String name, Path dir, Supplier<MultiLayerNetwork> fresh, Finetuner f, int budget, long seed,
                            MnistSplits data, double checkpointSeconds) throws IOException {
        int target = Math.min(budget, f.maxEpochs());
        Progress p = progress(dir);
        if (p.reached(target)) {
            return p;
        }
        if (p.stateFile() != null && !Files.isRegularFile(dir.resolve(p.stateFile()))) {
            log.warn("{}: {} is gone (deleted to save space?): training this run again from its first epoch", name, dir.resolve(p.stateFile()));
            p = Progress.NONE;
        }
        long start = System.nanoTime();
        double secondsBefore = p.seconds();
        MultiLayerNetwork net = p.stateFile() == null ? fresh.get() : ModelFiles.load(dir.resolve(p.stateFile()), true);
        List<Double> errors = new ArrayList<>(p.validErrorPct());
        int bestEpoch = p.bestEpoch();
        INDArray bestParams = null;
        String stopped = null;
        long lastSave = start;
        ShuffledBatchIterator train = new ShuffledBatchIterator(data.trainX(), data.trainY(), f.batch(), seed, true);
        ShuffledBatchIterator valid = new ShuffledBatchIterator(data.validX(), data.validY(), EVAL_BATCH, 0, false);
        for (int e = errors.size(); e < target; e++) {
            long epochStart = System.nanoTime();
            train.seekEpoch(e);
            net.fit(train);
            if (!Double.isFinite(net.params().sumNumber().doubleValue())) {
                stopped = "diverged in epoch " + (e + 1) + " (parameters not finite)";
                break;
            }
            valid.seekEpoch(0);
            double error = 100 * (1 - net.evaluate(valid).accuracy());
            errors.add(error);
            if (bestEpoch == 0 || error < errors.get(bestEpoch - 1)) {
                bestEpoch = e + 1;
                bestParams = net.params().dup();
            }
            log.info("{}: epoch {}/{} validation error {}% (best {}% at epoch {}), {} s", name, e + 1, f.maxEpochs(),
                    String.format("%.2f", error), String.format("%.2f", errors.get(bestEpoch - 1)), bestEpoch,
                    String.format("%.1f", (System.nanoTime() - epochStart) / 1e9));
            if (e + 1 - bestEpoch >= f.patience()) {
                stopped = "no lower validation error for " + f.patience() + " epochs";
                break;
            }
            long now = System.nanoTime();
            if (e + 1 < target && (now - lastSave) / 1e9 >= checkpointSeconds) {
                p = save(dir, net, errors, bestEpoch, bestParams, null, secondsBefore + (now - start) / 1e9, p);
                bestParams = null;   // saved
                lastSave = now;
            }
        }
        if (stopped == null && errors.size() >= f.maxEpochs()) {
            stopped = "epoch limit " + f.maxEpochs();
        }
        Progress done = save(dir, net, errors, bestEpoch, bestParams, stopped, secondsBefore + (System.nanoTime() - start) / 1e9, p);
        log.info("{}: {} epochs, best validation error {}% at epoch {}{} ({})", name, done.epochs(),
                String.format("%.2f", done.bestErrorPct()), done.bestEpoch(), stopped == null ? "" : "; stopped: " + stopped,
                EarlyStoppingProgressLogger.duration(done.seconds()));
        return done;
    }

    /**
     * Saves the run: the model with its optimiser state (unless it diverged: the last finite state
     * stays), the best epoch's parameters when they are new since {@code before}, then progress.json
     * naming both, and removes what it no longer names.
     */
    private static Progress save(Path dir, MultiLayerNetwork net, List<Double> errors, int bestEpoch, INDArray bestParams, String stopped,
                                 double seconds, Progress before) throws IOException {
        Files.createDirectories(dir);
        String stateFile = before.stateFile();
        if (stopped == null || !stopped.startsWith("diverged")) {
            stateFile = "state-e" + errors.size() + ".zip";
            ModelFiles.saveAtomically(net, dir.resolve(stateFile), true);
        }
        String bestFile = before.bestFile();
        if (bestParams != null) {
            MultiLayerNetwork best = net.clone();
            best.setParams(bestParams);
            bestFile = "best-e" + bestEpoch + ".zip";
            ModelFiles.saveAtomically(best, dir.resolve(bestFile), false);
        }
        Progress saved = new Progress(List.copyOf(errors), bestEpoch, stopped, seconds, stateFile, bestFile);
        RowFiles.write(dir.resolve(PROGRESS), saved.toJson());
        deleteOthers(dir, stateFile, bestFile);
        return saved;
    }

    /** Removes models of earlier calls that progress.json no longer names. */
    private static void deleteOthers(Path dir, String keepState, String keepBest) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if ((n.startsWith("state-e") || n.startsWith("best-e")) && n.endsWith(".zip") && !n.equals(keepState) && !n.equals(keepBest)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}

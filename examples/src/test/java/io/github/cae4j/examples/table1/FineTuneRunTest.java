package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.Baselines;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fine-tuning epoch by epoch, continued across calls, with early stopping on validation error. */
class FineTuneRunTest {

    private static final MnistSplits DATA = TinyDigits.of(240, 100, 12, 5);

    @TempDir
    Path dir;

    private static Supplier<MultiLayerNetwork> mlp(Finetuner f, long seed) {
        return () -> Baselines.randomMlp(12, 8, 1, Activation.SIGMOID, f.updater(), seed);
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    private static MultiLayerNetwork state(Path run) throws IOException {
        return ModelFiles.load(run.resolve(FineTuneRun.progress(run).stateFile()), true);
    }

    @Test
    void severalCallsGiveTheNumbersOfOneCall() throws IOException {
        Finetuner f = Finetuner.nesterovs(0.2, 0.9, 0.8, 16, 10, 10);
        FineTuneRun.Progress once = FineTuneRun.advance("once", dir.resolve("once"), mlp(f, 3), f, 5, 3, DATA);
        Path parts = dir.resolve("parts");
        FineTuneRun.advance("parts", parts, mlp(f, 3), f, 1, 3, DATA);
        FineTuneRun.advance("parts", parts, () -> {
            throw new AssertionError("a started run continues from its saved state");
        }, f, 3, 3, DATA);
        FineTuneRun.Progress twice = FineTuneRun.advance("parts", parts, mlp(f, 3), f, 5, 3, DATA);
        assertEquals(5, once.epochs());
        assertEquals(once.validErrorPct(), twice.validErrorPct());
        assertEquals(once.bestEpoch(), twice.bestEpoch());
        assertArrayEquals(params(state(dir.resolve("once"))), params(state(parts)), 0f);
        assertArrayEquals(params(FineTuneRun.best(dir.resolve("once"))), params(FineTuneRun.best(parts)), 0f);
        try (var files = Files.list(parts)) {
            assertEquals(List.of("best-e" + twice.bestEpoch() + ".zip", FineTuneRun.PROGRESS, "state-e5.zip"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "earlier calls' models are removed");
        }
    }

    /** A call stopped in its third epoch (as a session's end stops it) keeps its first two; the rerun ends as one call does. */
    @Test
    void aCallCutShortKeepsTheEpochsItSavedAndTheRerunEndsAsOneCall() throws IOException {
        Finetuner f = Finetuner.adam(1e-2, 16, 10, 10);
        FineTuneRun.Progress once = FineTuneRun.advance("once", dir.resolve("once"), mlp(f, 6), f, 5, 6, DATA);
        Path cut = dir.resolve("cut");
        Supplier<MultiLayerNetwork> stoppedInEpoch3 = () -> {
            MultiLayerNetwork net = mlp(f, 6).get();
            net.setListeners(new BaseTrainingListener() {
                @Override
                public void onEpochStart(Model model) {
                    if (((MultiLayerNetwork) model).getEpochCount() == 2) {
                        throw new IllegalStateException("stopped");
                    }
                }
            });
            return net;
        };
        assertThrows(IllegalStateException.class, () -> FineTuneRun.advance("cut", cut, stoppedInEpoch3, f, 5, 6, DATA, 0));
        FineTuneRun.Progress kept = FineTuneRun.progress(cut);
        assertEquals(2, kept.epochs(), "saved after each epoch with a 0-second interval");
        assertEquals(once.validErrorPct().subList(0, 2), kept.validErrorPct());
        FineTuneRun.advance("two", dir.resolve("two"), mlp(f, 6), f, 2, 6, DATA);
        assertArrayEquals(params(state(dir.resolve("two"))), params(state(cut)), 0f, "the state after epoch 2");
        FineTuneRun.Progress rerun = FineTuneRun.advance("cut", cut, () -> {
            throw new AssertionError("the run continues from its saved state");
        }, f, 5, 6, DATA);
        assertEquals(once.validErrorPct(), rerun.validErrorPct());
        assertEquals(once.bestEpoch(), rerun.bestEpoch());
        assertArrayEquals(params(state(dir.resolve("once"))), params(state(cut)), 0f);
        assertArrayEquals(params(FineTuneRun.best(dir.resolve("once"))), params(FineTuneRun.best(cut)), 0f);
        try (var files = Files.list(cut)) {
            assertEquals(List.of("best-e" + rerun.bestEpoch() + ".zip", FineTuneRun.PROGRESS, "state-e5.zip"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the checkpoints' models are removed");
        }
    }

    @Test
    void aRunWhoseSavedStateWasDeletedStartsOverAndEndsTheSame() throws IOException {
        Finetuner f = Finetuner.adam(1e-2, 16, 10, 10);
        FineTuneRun.Progress once = FineTuneRun.advance("once", dir.resolve("once"), mlp(f, 2), f, 3, 2, DATA);
        Path pruned = dir.resolve("pruned");
        FineTuneRun.advance("pruned", pruned, mlp(f, 2), f, 2, 2, DATA);
        Files.delete(pruned.resolve(FineTuneRun.progress(pruned).stateFile()));
        FineTuneRun.Progress again = FineTuneRun.advance("pruned", pruned, mlp(f, 2), f, 3, 2, DATA);
        assertEquals(once.validErrorPct(), again.validErrorPct());
        assertArrayEquals(params(state(dir.resolve("once"))), params(state(pruned)), 0f);
    }

    @Test
    void eachEpochReshufflesFromTheSeedAndTheEpochAndTheRateDecaysPerEpoch() throws IOException {
        Finetuner f = Finetuner.nesterovs(0.2, 0.9, 0.5, 16, 10, 10);
        FineTuneRun.advance("run", dir, mlp(f, 4), f, 3, 4, DATA);
        // the same training written out: epoch e's order from seekEpoch(e), one DL4J epoch each
        MultiLayerNetwork manual = mlp(f, 4).get();
        ShuffledBatchIterator it = new ShuffledBatchIterator(DATA.trainX(), DATA.trainY(), 16, 4, true);
        for (int e = 0; e < 3; e++) {
            it.seekEpoch(e);
            while (it.hasNext()) {
                manual.fit(it.next());
            }
            manual.incrementEpochCount();
        }
        MultiLayerNetwork saved = state(dir);
        assertArrayEquals(params(manual), params(saved), 0f);
        assertEquals(3, saved.getEpochCount());
        assertEquals(0.2 * 0.5 * 0.5 * 0.5, saved.getLearningRate(0), 1e-9, "the next epoch's rate: 0.2 * 0.5^3");
        // a different seed is a different order
        Path other = dir.resolve("other-seed");
        FineTuneRun.advance("run", other, mlp(f, 4), f, 3, 5, DATA);
        assertTrue(!java.util.Arrays.equals(params(saved), params(state(other))));
    }

    @Test
    void stopsAfterPatienceEpochsWithoutALowerValidationError() throws IOException {
        // a rate far below float resolution: the parameters never change, nor does the validation error
        Finetuner f = Finetuner.sgd(1e-30, 1, 16, 50, 3);
        FineTuneRun.Progress p = FineTuneRun.advance("flat", dir, mlp(f, 1), f, 50, 1, DATA);
        assertEquals(4, p.epochs(), "epoch 1 is the best; 3 more without a lower error");
        assertEquals(1, p.bestEpoch());
        assertTrue(p.stopped().contains("no lower validation error for 3 epochs"), p.stopped());
        assertEquals(p, FineTuneRun.advance("flat", dir, mlp(f, 1), f, 50, 1, DATA), "a stopped run does not continue");
    }

    @Test
    void aRunWhoseParametersBecomeNaNStopsAsDiverged() throws IOException {
        Finetuner f = Finetuner.adam(1e-3, 16, 5, 5);
        Supplier<MultiLayerNetwork> broken = () -> {
            MultiLayerNetwork net = mlp(f, 1).get();
            net.params().putScalar(0, Float.NaN);
            return net;
        };
        FineTuneRun.Progress p = FineTuneRun.advance("nan", dir, broken, f, 5, 1, DATA);
        assertTrue(p.stopped().startsWith("diverged in epoch 1"), p.stopped());
        assertEquals(0, p.epochs());
        assertNull(p.bestFile());
        assertEquals(100, p.bestWithin(5), 0.0, "ranked last");
        IOException e = assertThrows(IOException.class, () -> FineTuneRun.best(dir));
        assertTrue(e.getMessage().contains("diverged in epoch 1"), e.getMessage());
    }

    @Test
    void theBestWithinABudgetIsReadFromTheCurve() {
        FineTuneRun.Progress p = new FineTuneRun.Progress(List.of(5.0, 3.0, 4.0, 2.0), 4, null, 0, "s", "b");
        assertEquals(5.0, p.bestWithin(1), 0.0);
        assertEquals(3.0, p.bestWithin(3), 0.0);
        assertEquals(2, p.bestEpochWithin(3));
        assertEquals(2.0, p.bestWithin(99), 0.0);
        assertTrue(p.reached(4) && !p.reached(5));
    }
}

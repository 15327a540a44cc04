package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.layers.TangentPropDenseLayer;
import io.github.cae4j.layers.TangentPropOutputLayer;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.tangents.ManifoldTangents;
import io.github.cae4j.tangents.TangentOptions;
import io.github.cae4j.tangents.Tangents;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MTC's encoders and tangents: layer 1 in the CAE+H row's files, layer 2 on its codes, the stored
 * (HALF) tangents against the library's computation for the same stack, the {@code [x | u_1 | ... | u_k]}
 * layout for each k of the grid, computed once, and the candidates' tangent-propagation network.
 */
class MtcTangentsTest {

    /**
     * 12 inputs (the quick protocol's 32 units): k up to 2 is below every layer's width. More training
     * digits than one chunk of the tangent file, so that one chunk ends and a shorter one follows.
     */
    private static final int TRAIN = MtcTangents.CHUNK + 150;
    private static final MnistSplits DATA = TinyDigits.of(TRAIN, 40, 12, 5);
    /** HALF keeps 11 significant bits: unit vectors' entries (|u_i| <= 1) within 2^-11. */
    private static final float HALF_TOLERANCE = 5e-4f;

    @TempDir
    Path out;

    @Test
    void storedTangentsAreTheTopLayersSingularVectorsLaidBesideTheDigits() throws IOException {
        Table1Protocol quick = Table1Protocol.quick();
        Training t = new Training(quick, DATA, out, new Steps(10, 0, 0), EpochTimes.DOCUMENTED);
        Candidate enc = quick.grid(Table1Row.CAE_H).get(0);
        MtcTangents.prepare(t, enc, 1);
        assertTrue(RowFiles.hasSnapshot(t.files(Table1Row.CAE_H).pretrainDir(1, 1, enc), enc.pretraining().epochs()), "layer 1 is the CAE+H row's");
        assertTrue(Files.notExists(t.files(Table1Row.MTC).tangentsPng()), "inputs that are not 28x28 digits get no tangent figure");
        JsonNode layer2 = RowFiles.snapshotReport(t.files(Table1Row.MTC).pretrainDir(1, 2, enc), enc.pretraining().epochs());
        assertEquals(quick.hidden(), layer2.get("n_in").asInt());

        PretrainedAutoencoder first = t.snapshot(Table1Row.CAE_H, enc, 1, 1);
        PretrainedAutoencoder second = t.snapshot(Table1Row.MTC, enc, 2, 1);
        // the file holds one computation per chunk, each from the same seeded start (the iteration's few steps leave a digit's
        // tangents dependent on its start vectors, hence on its place in the chunk): the expected ones are computed alike
        ManifoldTangents library = ManifoldTangents.of(new PretrainedStack(List.of(first, second), List.of()),
                TangentOptions.of(2).withIterations(quick.followUps().tangentIterations()).withSeed(1));
        Tangents head = library.compute(DATA.trainX().get(NDArrayIndex.interval(0, MtcTangents.CHUNK), NDArrayIndex.all()));
        Tangents tail = library.compute(DATA.trainX().get(NDArrayIndex.interval(MtcTangents.CHUNK, TRAIN), NDArrayIndex.all()));
        Tangents expected = new Tangents(Nd4j.concat(0, head.values(), tail.values()), Nd4j.concat(0, head.vectors(), tail.vectors()));
        long d = DATA.trainX().size(1);
        for (int k : quick.followUps().tangents()) {
            MnistSplits withTangents = MtcTangents.data(t, 1, k);
            INDArray x = withTangents.trainX();
            assertArrayEquals(new long[]{TRAIN, (1 + k) * d}, x.shape());
            assertArrayEquals(DATA.trainX().dup().data().asFloat(), x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup().data().asFloat(), 0f);
            INDArray u = x.get(NDArrayIndex.all(), NDArrayIndex.interval(d, (1 + k) * d)).dup();
            INDArray want = expected.flattened().get(NDArrayIndex.all(), NDArrayIndex.interval(0, k * d)).dup();
            assertArrayEquals(want.data().asFloat(), u.data().asFloat(), HALF_TOLERANCE, "the leading " + k + " tangents");
            assertSame(DATA.validX(), withTangents.validX(), "validation digits stay plain");
        }
        JsonNode record = MtcTangents.record(t, 1);
        assertEquals(2, record.get("k").asInt());
        assertEquals(expected.values().mean(0).getDouble(0), record.get("mean_singular_values").get(0).asDouble(), 1e-4);

        Path file = t.files(Table1Row.MTC).tangentsDir(1).resolve(MtcTangents.DATA);
        FileTime time = Files.getLastModifiedTime(file);
        MtcTangents.prepare(t, enc, 1);
        assertEquals(time, Files.getLastModifiedTime(file), "computed once per seed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MtcTangents.data(t, 1, 3));
        assertTrue(e.getMessage().contains("not for k 3"), e.getMessage());
    }

    @Test
    void anMtcCandidateFineTunesATangentPropagationNetworkOnItsK() throws IOException {
        Table1Protocol quick = Table1Protocol.quick();
        Training t = new Training(quick, DATA, out, new Steps(10, 0, 0), EpochTimes.DOCUMENTED);
        Candidate enc = quick.grid(Table1Row.CAE_H).get(0);
        Training.Layers layers = MtcTangents.prepare(t, enc, 1);
        Candidate c = new Candidate(Table1Row.MTC, 3.0, null, quick.followUps().mtcFinetuners().get(0), null, 2);
        FineTuneRun.Progress p = t.finetune(Table1Row.MTC, c, 1, 1, layers, "test");
        assertEquals(1, p.epochs());
        MultiLayerNetwork net = FineTuneRun.best(t.files(Table1Row.MTC).candidateDir(1, c));
        assertEquals(3, net.getnLayers());
        for (int l = 0; l < 2; l++) {
            TangentPropDenseLayer dense = assertInstanceOf(TangentPropDenseLayer.class, net.getLayer(l).conf().getLayer());
            assertEquals(2, dense.getTangents());
        }
        TangentPropOutputLayer o = assertInstanceOf(TangentPropOutputLayer.class, net.getLayer(2).conf().getLayer());
        assertEquals(2, o.getTangents());
        assertEquals(3.0, o.getBeta(), 0.0);
        assertEquals(10, net.output(DATA.testX()).size(1), "predicts from plain digits");
    }

    @Test
    void badFollowUpSettingsAreNamed() {
        Finetuner f = Table1Protocol.quick().finetuners().get(0);
        Pretraining p = Pretraining.adam(1e-3, 16, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HigherOrder(0, 0.1, 4));
        assertTrue(e.getMessage().contains("gamma must be in (0, 1000000.0]") && e.getMessage().contains("got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HigherOrder(1, 0.1, 65));
        assertTrue(e.getMessage().contains("copies must be in [1, 64], got 65"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Candidate(Table1Row.CAE_H, 1, p, f));
        assertTrue(e.getMessage().contains("the higher-order term is required for this row"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Candidate(Table1Row.CAE, 1, p, f, new HigherOrder(1, 0.1, 4), 0));
        assertTrue(e.getMessage().contains("only for the CAE+H row"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Candidate(Table1Row.MTC, 0, null, f, null, 3));
        assertTrue(e.getMessage().contains("beta must be > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Candidate(Table1Row.MTC, 1, p, f, null, 3));
        assertTrue(e.getMessage().contains("pretraining must be null for this row"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Candidate(Table1Row.MTC, 1, null, f, null, 0));
        assertTrue(e.getMessage().contains("tangents k must be > 0 for this row, got 0"), e.getMessage());
        SuccessiveHalving h = new SuccessiveHalving(List.of(15), 3, 2);
        e = assertThrows(IllegalArgumentException.class, () -> new Table1Protocol.FollowUps(List.of(0.1), 0.1, 4, List.of(4, 4), 4, List.of(f), h));
        assertTrue(e.getMessage().contains("tangents (k) must be distinct, > 0 and at least one, got [4, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Table1Protocol.FollowUps(List.of(0.1), 0.1, 4, List.of(4), 4, List.of(f), null));
        assertTrue(e.getMessage().contains("mtcHalving (how the MTC's candidates are narrowed down) must be set"), e.getMessage());
    }
}

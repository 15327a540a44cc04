package io.github.cae4j.examples.table1;

import io.github.cae4j.pretrain.PretrainedAutoencoder;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;

/**
 * CAE-2's two encoders for one seed: layer 1 is the CAE row's chosen setting pretrained with that
 * seed (the CAE row's own file, shared with it), layer 2 a CAE with the same lambda and length
 * pretrained on layer 1's codes (CAE-2's file). Every candidate of CAE-2's grid (one per shared
 * fine-tuner, {@link Table1Protocol#cae2Grid}) starts from the same two layers.
 */
final class Cae2Stack {

    private Cae2Stack() {
    }

    /** The two layers of {@code c} (a CAE-2 candidate) for {@code seed}, loaded when the MLP is built. */
    static Training.Layers layers(Training t, Candidate c, long seed) {
        Candidate bottom = c.forRow(Table1Row.CAE);
        return Training.Layers.of(2, () -> List.of(t.snapshot(Table1Row.CAE, bottom, 1, seed), t.snapshot(Table1Row.CAE_2, c, 2, seed)));
    }

    /** Pretrains the layers that are missing (each a step), then {@link #layers}. */
    static Training.Layers prepare(Training t, Candidate c, long seed) throws IOException {
        Candidate bottom = c.forRow(Table1Row.CAE);
        TreeSet<Integer> length = new TreeSet<>(List.of(c.pretraining().epochs()));
        // every length the CAE row's grid has of this run (snapshots of one run, no extra cost), as its selection would
        t.pretrain(Table1Row.CAE, bottom, 1, seed, Training.lengths(t.protocol().grid(Table1Row.CAE), bottom), t.data().trainX(),
                t.data().validX());
        PretrainedAutoencoder first = t.snapshot(Table1Row.CAE, bottom, 1, seed);
        t.pretrain(Table1Row.CAE_2, c, 2, seed, length, first.encode(t.data().trainX()), first.encode(t.data().validX()));
        return layers(t, c, seed);
    }

    /** Whether both layers of {@code c} for {@code seed} are pretrained (here, or reusable from the shared directory). */
    static boolean pretrained(Training t, Candidate c, long seed) throws IOException {
        TreeSet<Integer> length = new TreeSet<>(List.of(c.pretraining().epochs()));
        return t.pretrained(Table1Row.CAE, c.forRow(Table1Row.CAE), 1, seed, length) && t.pretrained(Table1Row.CAE_2, c, 2, seed, length);
    }
}

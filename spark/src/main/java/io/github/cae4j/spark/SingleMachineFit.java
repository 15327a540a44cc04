package io.github.cae4j.spark;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What {@link DistributedTraining} is compared with: the same network and the same minibatches, fitted
 * in this JVM with plain {@code fit}, the minibatch order reshuffled from {@code seed} each epoch.
 */
public final class SingleMachineFit {

    private SingleMachineFit() {
    }

    /** Trains {@code net} in place; returns one {@link DistributedTraining.Epoch} per epoch. */
    public static List<DistributedTraining.Epoch> fit(MultiLayerNetwork net, List<DataSet> minibatches, int epochs, long seed,
                                                      DistributedTraining.EpochScore epochScore) {
        List<DataSet> order = new ArrayList<>(minibatches);
        Random rng = new Random(seed);
        List<DistributedTraining.Epoch> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            Collections.shuffle(order, rng);
            long t0 = System.nanoTime();
            net.fit(new ListDataSetIterator<>(order, 1));
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.add(new DistributedTraining.Epoch(e + 1, seconds, epochScore.score(net)));
        }
        return out;
    }
}

package io.github.cae4j.spark;

/**
 * How {@link DistributedTraining} trains: DL4J's parameter averaging.
 *
 * @param workers            parallel workers, > 0; 0 means Spark's default parallelism (the cores of {@code local[n]},
 *                           the executors' cores of a cluster)
 * @param batchSizePerWorker examples of each RDD record (one minibatch), > 0; the RDD must be built with the same size
 * @param averagingFrequency minibatches each worker fits between two parameter averagings, > 0 (DL4J suggests 5 to 10:
 *                           lower costs more communication, higher lets the workers drift apart)
 * @param epochs             passes over the RDD, > 0
 * @param seed               seeds DL4J's split of the RDD into averaging rounds
 */
public record TrainingOptions(int workers, int batchSizePerWorker, int averagingFrequency, int epochs, long seed) {

    public TrainingOptions {
        if (workers < 0) {
            throw new IllegalArgumentException("TrainingOptions: workers must be >= 0 (0 = Spark's default parallelism), got " + workers);
        }
        if (batchSizePerWorker <= 0) {
            throw new IllegalArgumentException("TrainingOptions: batchSizePerWorker must be > 0, got " + batchSizePerWorker);
        }
        if (averagingFrequency <= 0) {
            throw new IllegalArgumentException("TrainingOptions: averagingFrequency must be > 0, got " + averagingFrequency);
        }
        if (epochs <= 0) {
            throw new IllegalArgumentException("TrainingOptions: epochs must be > 0, got " + epochs);
        }
    }

    public TrainingOptions withEpochs(int value) {
        return new TrainingOptions(workers, batchSizePerWorker, averagingFrequency, value, seed);
    }

    public TrainingOptions withAveragingFrequency(int value) {
        return new TrainingOptions(workers, batchSizePerWorker, value, epochs, seed);
    }

    public TrainingOptions withWorkers(int value) {
        return new TrainingOptions(value, batchSizePerWorker, averagingFrequency, epochs, seed);
    }
}

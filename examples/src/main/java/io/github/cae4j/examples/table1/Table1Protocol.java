package io.github.cae4j.examples.table1;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides a row's numbers apart from the seed: sizes, optimisers, budgets and the
 * hyperparameter grids. Each grid point is first screened with short budgets (pretraining and
 * fine-tuning of a few epochs, scored by validation error); the best point then gets the full run.
 * Only validation digits decide; the test digits are used once, by the final model of each row.
 *
 * @param hidden                units per hidden layer (the paper: 1000)
 * @param maxTrain              training digits to use, 0 for all 50,000 (stratified subsample otherwise)
 * @param pretrainBatch         pretraining minibatch
 * @param pretrainLr            Adam learning rate of pretraining
 * @param pretrainEpochs        epoch limit of a full pretraining (early stopping on the held-out objective)
 * @param pretrainPatience      epochs without improvement before pretraining stops
 * @param finetuneBatch         fine-tuning minibatch
 * @param finetuneEpochs        epoch limit of a full fine-tuning (early stopping on validation accuracy)
 * @param finetunePatience      epochs without improvement before fine-tuning stops
 * @param screenPretrainEpochs  pretraining epochs of a screened grid point
 * @param screenFinetuneEpochs  fine-tuning epochs of a screened grid point
 * @param regularization        grid of each row's regulariser (rows without one: {0})
 * @param finetuneLrs           grid of each row's fine-tuning learning rate (Adam)
 */
public record Table1Protocol(int hidden, int maxTrain, int pretrainBatch, double pretrainLr, int pretrainEpochs,
                             int pretrainPatience, int finetuneBatch, int finetuneEpochs, int finetunePatience,
                             int screenPretrainEpochs, int screenFinetuneEpochs,
                             Map<Table1Row, List<Double>> regularization, Map<Table1Row, List<Double>> finetuneLrs) {

    public Table1Protocol {
        regularization = Map.copyOf(regularization);
        finetuneLrs = Map.copyOf(finetuneLrs);
        for (Table1Row row : Table1Row.values()) {
            if (row != Table1Row.CAE_2 && (regularization.get(row) == null || finetuneLrs.get(row) == null)) {
                throw new IllegalArgumentException("Table1Protocol: no grid for row " + row.id());
            }
        }
    }

    /**
     * The full protocol: 784-1000-10 on all 50,000 training digits. The grids are small on purpose
     * (the whole table must run in hours on 2 cores); their values bracket what the literature uses.
     */
    public static Table1Protocol full() {
        Map<Table1Row, List<Double>> reg = new EnumMap<>(Table1Row.class);
        Map<Table1Row, List<Double>> lr = new EnumMap<>(Table1Row.class);
        reg.put(Table1Row.RANDOM, List.of(0.0));
        lr.put(Table1Row.RANDOM, List.of(3e-4, 1e-3, 3e-3));
        reg.put(Table1Row.AE, List.of(0.0));
        reg.put(Table1Row.AE_WD, List.of(1e-3, 1e-2));
        reg.put(Table1Row.DAE_G, List.of(0.1, 0.3));
        reg.put(Table1Row.DAE_B, List.of(0.1, 0.25));
        reg.put(Table1Row.CAE, List.of(0.1, 0.3, 1.0));
        reg.put(Table1Row.DL4J_AE, List.of(0.0));
        for (Table1Row row : List.of(Table1Row.AE, Table1Row.AE_WD, Table1Row.DAE_G, Table1Row.DAE_B, Table1Row.CAE)) {
            lr.put(row, List.of(3e-4, 1e-3));
        }
        lr.put(Table1Row.DL4J_AE, List.of(1e-3));
        return new Table1Protocol(1000, 0, 128, 1e-3, 25, 4, 100, 40, 6, 4, 4, reg, lr);
    }

    /** A tiny setting for smoke tests: 2,000 digits, 64 units, an epoch or two, one two-point grid (CAE). */
    public static Table1Protocol quick() {
        Map<Table1Row, List<Double>> reg = new EnumMap<>(Table1Row.class);
        Map<Table1Row, List<Double>> lr = new EnumMap<>(Table1Row.class);
        Table1Protocol full = full();
        for (Table1Row row : full.regularization().keySet()) {
            reg.put(row, List.of(full.regularization().get(row).get(0)));
            lr.put(row, List.of(full.finetuneLrs().get(row).get(full.finetuneLrs().get(row).size() - 1)));
        }
        reg.put(Table1Row.CAE, List.of(0.3, 1.0));
        return new Table1Protocol(64, 2000, 64, 3e-3, 2, 2, 64, 3, 2, 1, 1, reg, lr);
    }

    /** The protocol as a JSON-ready map, grids in table order (the same every time, for comparing runs). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("hidden", hidden);
        m.put("max_train", maxTrain);
        m.put("pretrain", Map.of("batch", pretrainBatch, "adam_lr", pretrainLr, "max_epochs", pretrainEpochs, "patience", pretrainPatience));
        m.put("finetune", Map.of("batch", finetuneBatch, "max_epochs", finetuneEpochs, "patience", finetunePatience));
        m.put("screening", Map.of("pretrain_epochs", screenPretrainEpochs, "finetune_epochs", screenFinetuneEpochs));
        Map<String, Object> grids = new java.util.LinkedHashMap<>();
        for (Table1Row row : Table1Row.values()) {
            if (regularization.containsKey(row)) {
                grids.put(row.id(), Map.of(row.regularizer().symbol(), regularization.get(row), "finetune_lr", finetuneLrs.get(row)));
            }
        }
        grids.put(Table1Row.CAE_2.id(), "the CAE row's choice");
        m.put("grids", grids);
        return m;
    }

    /** Every grid point of a row, regularisation-major (points sharing a pretraining are adjacent). */
    public List<Candidate> grid(Table1Row row) {
        Table1Row source = row == Table1Row.CAE_2 ? Table1Row.CAE : row;
        List<Candidate> points = new ArrayList<>();
        for (double r : regularization.get(source)) {
            for (double lr : finetuneLrs.get(source)) {
                points.add(new Candidate(row, r, lr));
            }
        }
        return points;
    }
}

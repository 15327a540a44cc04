/**
 * The reproduction of Table 1 of Rifai et al. (ICML 2011) on full MNIST ({@code scripts/reproduce-table1};
 * docs/table1-protocol.md): the rows ({@link io.github.cae4j.examples.table1.Table1Row}); the protocol, its
 * grids and budgets ({@link io.github.cae4j.examples.table1.Table1Protocol}: every
 * {@link io.github.cae4j.examples.table1.Candidate} is a regulariser value, a
 * {@link io.github.cae4j.examples.table1.Pretraining} length and a {@link io.github.cae4j.examples.table1.Finetuner});
 * the selection by {@link io.github.cae4j.examples.table1.SuccessiveHalving} on the first seed's validation error
 * ({@code Selection}); each seed's final run and single test evaluation ({@code RowRunner}); the steps, each saved when
 * it finishes so that a rerun continues ({@code Training}: {@code SnapshotPretraining} and {@code FineTuneRun};
 * {@code RowFiles}; {@code SharedPretrainings} takes the full table's finished pretrainings for {@code --labels N}
 * when {@code PretrainingData} and their records show the same computation); the cost plan ({@code Plan}, {@link io.github.cae4j.examples.table1.EpochTimes}); the ranking
 * check ({@code ScreeningCheck}) and the ablations ({@code Study}: the CAE's {@code Ablation}s, {@code MtcAblation}); and the table's files ({@code Table1Report}).
 */
package io.github.cae4j.examples.table1;

/**
 * The reproduction of Table 1 of Rifai et al. (ICML 2011) on full MNIST ({@code scripts/reproduce-table1}):
 * the rows ({@link io.github.cae4j.examples.table1.Table1Row}), the protocol and its grids
 * ({@link io.github.cae4j.examples.table1.Table1Protocol}), one row's screening, pretraining,
 * fine-tuning and single test evaluation with resumable steps
 * ({@link io.github.cae4j.examples.table1.RowRunner}, {@link io.github.cae4j.examples.table1.RowFiles}),
 * and the table's files ({@link io.github.cae4j.examples.table1.Table1Report}).
 */
package io.github.cae4j.examples.table1;

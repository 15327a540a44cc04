package io.github.cae4j.examples.table1;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers in ids, file names and tables, as short as they read. */
public final class Ids {

    private Ids() {
    }

    /** 0.001 → 1e-3, 3e-4 → 3e-4, 0.03 → 0.03, 0.25 → 0.25, 100 → 100, 0 → 0. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 0.01) {
            return BigDecimal.valueOf(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        int exp = (int) Math.floor(Math.log10(Math.abs(v)));
        String mantissa = BigDecimal.valueOf(v / Math.pow(10, exp)).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return mantissa + "e" + exp;
    }
}

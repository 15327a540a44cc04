package io.github.cae4j.examples.table1;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A study on validation digits only that {@code --ablation NAME} runs instead of the table's rows:
 * the CAE's {@link Ablation}s and the MTC's {@link MtcAblation}. Each writes its own directory under
 * the output and continues where it stopped.
 */
interface Study {

    /** Every name {@code --ablation} takes. */
    static List<String> names() {
        List<String> names = new ArrayList<>(Ablation.NAMES);
        names.add(MtcAblation.NAME);
        return List.copyOf(names);
    }

    /** The study called {@code name}, in the quick setting or the full one; an unknown name is refused with the allowed ones. */
    static Study named(String name, boolean quick) {
        if (MtcAblation.NAME.equals(name)) {
            return MtcAblation.standard();
        }
        if (!Ablation.NAMES.contains(name)) {
            throw new IllegalArgumentException("--ablation: unknown ablation '" + name + "'; allowed: " + String.join(", ", names()));
        }
        return quick ? Ablation.quick(name) : Ablation.named(name);
    }

    /** Its directory under the output directory. */
    String dir();

    /** Whether it also runs in the semi-supervised setting ({@code --labels N}), fine-tuning on the labelled digits. */
    default boolean runsWithLabels() {
        return false;
    }

    /** Runs what is missing and writes {@code dir()/ablation.json} and {@code .md}; returns the JSON document. */
    Map<String, Object> run(Training t) throws IOException;

    /** Its pending steps and their cost at most. */
    void plan(Training t, Plan plan) throws IOException;
}

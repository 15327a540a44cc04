package io.github.cae4j.examples.table1;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a row's candidates are narrowed down (successive halving, Jamieson and Talwalkar 2016): every
 * candidate is fine-tuned for {@code roundEpochs[0]} epochs; the best {@code 1/eta} (never fewer
 * than {@code finalists}) continue to {@code roundEpochs[1]} epochs, and so on; the survivors of the
 * last short round get the full fine-tuning (the fine-tuner's epoch limit and patience), and the
 * lowest validation error of those wins. Training continues where the previous round stopped, so a
 * candidate costs only the epochs it reached. Candidates are compared by the lowest validation error
 * within the round's budget; ties go to the earlier candidate in grid order. Without short rounds
 * ({@link #everyCandidateInFull()}) every candidate gets the full fine-tuning.
 *
 * @param roundEpochs cumulative epoch budgets of the short rounds, increasing, each > 0; empty: none
 * @param eta         keep 1/eta of the candidates after each short round, >= 2
 * @param finalists   at least this many reach the full fine-tuning, >= 1
 */
public record SuccessiveHalving(List<Integer> roundEpochs, int eta, int finalists) {

    public SuccessiveHalving {
        roundEpochs = List.copyOf(roundEpochs);
        for (int r = 0; r < roundEpochs.size(); r++) {
            if (roundEpochs.get(r) <= 0 || (r > 0 && roundEpochs.get(r) <= roundEpochs.get(r - 1))) {
                throw new IllegalArgumentException("SuccessiveHalving: roundEpochs must be > 0 and increasing, got " + roundEpochs);
            }
        }
        if (eta < 2) {
            throw new IllegalArgumentException("SuccessiveHalving: eta must be >= 2, got " + eta);
        }
        if (finalists < 1) {
            throw new IllegalArgumentException("SuccessiveHalving: finalists must be >= 1, got " + finalists);
        }
    }

    /**
     * No short rounds: every candidate fine-tunes in full and the lowest validation error wins. For
     * grids whose epochs are cheap (1,000 labelled digits), where a short round's few steps rank
     * slow starters last.
     */
    public static SuccessiveHalving everyCandidateInFull() {
        return new SuccessiveHalving(List.of(), 2, 1);
    }

    /** Rounds in all: the short ones and the full one. */
    public int rounds() {
        return roundEpochs.size() + 1;
    }

    /** How many of {@code n} candidates continue after a short round. */
    public int survivors(int n) {
        return Math.max(Math.min(n, finalists), (n + eta - 1) / eta);
    }

    /** Candidates in each round, the full one last: 56 with eta 3, finalists 3, three short rounds: 56, 19, 7, 3. */
    public List<Integer> counts(int n) {
        List<Integer> counts = new ArrayList<>(List.of(n));
        for (int r = 1; r < rounds(); r++) {
            counts.add(survivors(counts.get(r - 1)));
        }
        return counts;
    }

    /** The epoch budget of round {@code r} (0-based); the last round's is the fine-tuner's own limit. */
    public int budget(int r, int fullEpochs) {
        return r < roundEpochs.size() ? Math.min(roundEpochs.get(r), fullEpochs) : fullEpochs;
    }

    /** {@link #describe()} as JSON, as a run.json holds it. */
    JsonNode describeJson() {
        ObjectMapper mapper = new ObjectMapper();
        return mapper.valueToTree(describe());
    }

    public Map<String, Object> describe() {
        if (roundEpochs.isEmpty()) {
            return Map.of("round_epochs", roundEpochs, "rule", "no short rounds: every candidate fine-tunes in full; the lowest"
                    + " validation error wins");
        }
        return Map.of("round_epochs", roundEpochs, "eta", eta, "finalists", finalists,
                "rule", "each short round keeps the best ceil(n/eta) (at least 'finalists') by validation error within its budget;"
                        + " the last round is the full fine-tuning; training continues between rounds");
    }
}

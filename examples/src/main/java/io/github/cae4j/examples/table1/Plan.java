package io.github.cae4j.examples.table1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps an invocation still has to do and their estimated cost (seconds per epoch from
 * {@link EpochTimes} times the epochs each step may need at most: every run to its epoch limit,
 * the most expensive candidates surviving each round). On an empty directory it is the cost plan
 * of the whole table.
 */
final class Plan {

    /** One row's (or one part's) pending steps and seconds, and what they are made of. */
    record Part(String name, int steps, double seconds, List<String> items) {
    }

    private final EpochTimes times;
    private final List<Part> parts = new ArrayList<>();
    private String current;
    private int steps;
    private double seconds;
    private List<String> items = new ArrayList<>();

    Plan(EpochTimes times) {
        this.times = times;
    }

    EpochTimes times() {
        return times;
    }

    void startPart(String name) {
        closePart();
        current = name;
    }

    /** A pending step of {@code seconds}; {@code item} says what it is, e.g. "pretraining, 4 runs x 60 epochs". */
    void step(double stepSeconds) {
        steps++;
        seconds += stepSeconds;
    }

    void note(String item) {
        items.add(item);
    }

    List<Part> parts() {
        closePart();
        return List.copyOf(parts);
    }

    int totalSteps() {
        return parts().stream().mapToInt(Part::steps).sum();
    }

    double totalSeconds() {
        return parts().stream().mapToDouble(Part::seconds).sum();
    }

    private void closePart() {
        if (current != null) {
            parts.add(new Part(current, steps, seconds, List.copyOf(items)));
            current = null;
            steps = 0;
            seconds = 0;
            items = new ArrayList<>();
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch_times", times.toJson());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Part p : parts()) {
            rows.add(Map.of("part", p.name(), "steps", p.steps(), "hours", p.seconds() / 3600, "made_of", p.items()));
        }
        m.put("parts", rows);
        m.put("total_steps", totalSteps());
        m.put("total_hours", totalSeconds() / 3600);
        return m;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("| part | steps | hours (at most) | made of |\n|---|---|---|---|\n");
        for (Part p : parts()) {
            md.append(String.format("| %s | %d | %.2f | %s |%n", p.name(), p.steps(), p.seconds() / 3600, String.join("; ", p.items())));
        }
        md.append(String.format("| **total** | %d | **%.2f** | |%n", totalSteps(), totalSeconds() / 3600));
        return md.toString();
    }
}

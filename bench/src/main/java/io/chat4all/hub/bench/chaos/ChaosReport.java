package io.chat4all.hub.bench.chaos;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a chaos run found: its figures (accepted, lost, duplicated, gaps, deliveries, search,
 * statuses) and each fault with its recovery time.
 *
 * @param figures by name, in the order they were measured
 * @param faults  the faults, in the order they were injected
 */
public record ChaosReport(Map<String, Object> figures, List<Fault> faults) {

    /** Figures that must be zero for the run to pass. */
    private static final List<String> MUST_BE_ZERO = List.of("refused", "lost", "duplicated",
            "conversations_with_seq_gaps", "copies_with_another_seq", "deliveries_sent_twice_or_more",
            "not_searchable", "statuses_backwards");

    /**
     * One fault: a part killed with SIGKILL and started again.
     *
     * @param part        what was killed
     * @param downSeconds from the kill until the part answered again after its restart
     * @param recoveredSeconds from the kill until a probe message went through the whole pipeline
     *                    again (stored, delivered on WhatsApp, searchable); negative if it did not
     */
    public record Fault(String part, double downSeconds, double recoveredSeconds) {
    }

    /** True when no promise was broken: nothing lost, duplicated, out of order or missing. */
    public boolean passed() {
        return problems().isEmpty();
    }

    /** The broken promises, by figure, with their counts. */
    public Map<String, Object> problems() {
        Map<String, Object> problems = new LinkedHashMap<>();
        for (String name : MUST_BE_ZERO) {
            Object value = figures.get(name);
            if (!(value instanceof Number number) || number.longValue() != 0) {
                problems.put(name, value);
            }
        }
        Object notSent = figures.get("deliveries_not_sent_by_state");
        if (notSent instanceof Map<?, ?> byState) {
            byState.forEach((state, count) -> {
                if (!"uncertain".equals(state)) {
                    problems.put("deliveries_not_sent_" + state, count);
                }
            });
        }
        faults.stream().filter(f -> f.recoveredSeconds() < 0)
                .forEach(f -> problems.put("not_recovered_" + f.part(), f.recoveredSeconds()));
        return problems;
    }

    static final class Builder {

        private final Map<String, Object> figures = new LinkedHashMap<>();
        private final List<Fault> faults;

        Builder(List<Fault> faults) {
            this.faults = faults;
        }

        Builder put(String name, Object value) {
            figures.put(name, value);
            return this;
        }

        ChaosReport build() {
            return new ChaosReport(Collections.unmodifiableMap(figures), List.copyOf(faults));
        }
    }
}

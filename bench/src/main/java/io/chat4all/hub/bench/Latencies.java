package io.chat4all.hub.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles of a set of measured durations (exact: every sample is kept). */
final class Latencies {

    private Latencies() {
    }

    static Map<String, Object> summary(List<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("samples", sorted.length);
        if (sorted.length == 0) {
            return summary;
        }
        summary.put("p50_ms", round(percentile(sorted, 50)));
        summary.put("p90_ms", round(percentile(sorted, 90)));
        summary.put("p99_ms", round(percentile(sorted, 99)));
        summary.put("max_ms", round(sorted[sorted.length - 1]));
        summary.put("mean_ms", round(Arrays.stream(sorted).average().orElse(0)));
        return summary;
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}

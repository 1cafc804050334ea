package io.chat4all.hub.simulator.domain;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts per group (channel) and key (status code); not bounded by how many records are kept. */
public final class Tally {

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    public void add(String group, String key) {
        counts.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new LongAdder())
                .increment();
    }

    /** A sorted copy: group → key → count. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        counts.forEach((group, keys) -> {
            Map<String, Long> values = new TreeMap<>();
            keys.forEach((key, count) -> values.put(key, count.sum()));
            copy.put(group, values);
        });
        return copy;
    }

    public void clear() {
        counts.clear();
    }
}

package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.StackState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time and memory (PSS, the proportional set size: resident pages, each shared page split
 * between the processes that share it, so PostgreSQL's shared buffers count once over all its
 * backends; RSS where PSS is not available) of every part of a local hub ({@code .hub/run/stack.json}), read
 * from {@code /proc} at the start and the end of a run. Empty when the hub is not local.
 */
final class HubProcesses {

    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> services = new LinkedHashMap<>();
    private final Map<String, Double> cpuAtStart = new LinkedHashMap<>();
    private final Map<String, Long> memoryAtStart = new LinkedHashMap<>();

    HubProcesses(Path root) {
        StackState.read(root.resolve(".hub/run/stack.json"))
                .ifPresent(state -> state.parts().forEach(part -> {
                    pids.put(part.name(), part.pid());
                    if ("service".equals(part.type())) {
                        services.put(part.name(), part.pid());
                    }
                }));
    }

    /** The hub's own service JVMs by name (not the engines). */
    Map<String, Long> services() {
        return services;
    }

    /** Every part's current memory (PSS) in bytes. */
    Map<String, Long> memory() {
        Map<String, Long> now = new LinkedHashMap<>();
        pids.forEach((name, pid) -> now.put(name, memoryBytes(pid)));
        return now;
    }

    void start() {
        pids.forEach((name, pid) -> {
            cpuAtStart.put(name, cpuSeconds(pid));
            memoryAtStart.put(name, memoryBytes(pid));
        });
    }

    /** Per part: CPU seconds used during the run, memory (PSS) at its start and end (MB). */
    Map<String, Object> finish() {
        Map<String, Object> parts = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("cpu_s", Math.round((cpuSeconds(pid) - cpuAtStart.getOrDefault(name, 0.0)) * 10) / 10.0);
            part.put("pss_start_mb", memoryAtStart.getOrDefault(name, 0L) >> 20);
            part.put("pss_end_mb", memoryBytes(pid) >> 20);
            parts.put(name, part);
        });
        return parts;
    }

    /**
     * CPU of the part: its process and every live descendant (PostgreSQL's backends, the
     * Elasticsearch JVM under its launcher), each with its reaped children.
     */
    private static double cpuSeconds(long pid) {
        return tree(pid).mapToDouble(HubProcesses::ownCpuSeconds).sum();
    }

    /** The process and its live descendants. */
    private static java.util.stream.LongStream tree(long pid) {
        return java.util.stream.LongStream.concat(java.util.stream.LongStream.of(pid), ProcessHandle.of(pid)
                .map(p -> p.descendants().mapToLong(ProcessHandle::pid)).orElse(java.util.stream.LongStream.empty()));
    }

    /** utime + stime of the process and its reaped children ({@code /proc/<pid>/stat} fields 14-17). */
    private static double ownCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = 0;
            for (int i = 11; i <= 14; i++) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static long memoryBytes(long pid) {
        return tree(pid).map(HubProcesses::ownMemoryBytes).sum();
    }

    /** Pss of {@code /proc/<pid>/smaps_rollup}, else VmRSS of {@code /proc/<pid>/status}; 0 once gone. */
    private static long ownMemoryBytes(long pid) {
        long pss = kilobytes(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
        return pss > 0 ? pss : kilobytes(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    private static long kilobytes(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }
}

package io.chat4all.hub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the hub's service JVMs spend their CPU during a measured run: a JFR recording per service,
 * started and stopped with {@code jcmd}, with JFR's {@code default} settings (about 1 % overhead; the
 * {@code profile} settings slowed the gateway fourfold here), summarised from its execution samples.
 * Each sample is attributed to the library of its innermost frame outside the JDK (so a
 * {@code HashMap.get} called by Jackson counts as JSON); the JSON gets, per service, the share of
 * samples by library and the hottest methods. Recordings stay under {@code .hub/bench/jfr/}.
 */
final class Profiler {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final String RECORDING = "hub-bench";
    private static final List<String[]> LIBRARIES = List.of(
            new String[] {"tools.jackson.", "JSON (Jackson)"}, new String[] {"com.fasterxml.jackson.", "JSON (Jackson)"},
            new String[] {"org.apache.kafka.", "Kafka client"}, new String[] {"org.postgresql.", "JDBC (PostgreSQL driver)"},
            new String[] {"com.zaxxer.hikari.", "JDBC pool (Hikari)"}, new String[] {"io.netty.", "HTTP/network I/O (Netty)"},
            new String[] {"reactor.netty.", "HTTP server (Reactor Netty)"}, new String[] {"reactor.", "Reactor"},
            new String[] {"org.springframework.security.", "Spring Security"},
            new String[] {"org.springframework.web.", "Spring WebFlux"}, new String[] {"org.springframework.http.", "Spring WebFlux"},
            new String[] {"org.springframework.kafka.", "Spring Kafka"}, new String[] {"org.springframework.jdbc.", "Spring JDBC"},
            new String[] {"org.springframework.", "Spring (other)"}, new String[] {"io.micrometer.", "Metrics (Micrometer)"},
            new String[] {"ch.qos.logback.", "Logging"}, new String[] {"org.slf4j.", "Logging"},
            new String[] {"io.chat4all.", "Hub code"});

    private final Map<String, Long> services;
    private final Path directory;

    private Profiler(Map<String, Long> services, Path directory) {
        this.services = services;
        this.directory = directory;
    }

    static Profiler start(HubProcesses hub, Path root) {
        Path directory = root.resolve(".hub/bench/jfr").resolve(Instant.now().toString().replace(':', '-'));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + directory, e);
        }
        Profiler profiler = new Profiler(hub.services(), directory);
        profiler.services.forEach((name, pid) -> jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=default",
                "filename=" + directory.resolve(name + ".jfr")));
        log.info("profiling {} with JFR into {}", profiler.services.keySet(), directory);
        return profiler;
    }

    /** Stops the recordings and summarises each. */
    Map<String, Object> finish() {
        Map<String, Object> summary = new LinkedHashMap<>();
        services.forEach((name, pid) -> {
            Path file = directory.resolve(name + ".jfr");
            jcmd(pid, "JFR.stop", "name=" + RECORDING);
            if (Files.isRegularFile(file)) {
                summary.put(name, summarise(file));
            }
        });
        return summary;
    }

    static Map<String, Object> summarise(Path recording) {
        Map<String, Long> byLibrary = new HashMap<>();
        Map<String, Long> byMethod = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!"jdk.ExecutionSample".equals(event.getEventType().getName()) || event.getStackTrace() == null
                        || event.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                samples++;
                byMethod.merge(method(frames.get(0)), 1L, Long::sum);
                byLibrary.merge(library(frames), 1L, Long::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + recording, e);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("samples", samples);
        summary.put("by_library_pct", top(byLibrary, samples, 12));
        summary.put("hottest_methods_pct", top(byMethod, samples, 12));
        return summary;
    }

    /** The library of the innermost frame outside the JDK; "JDK" when the whole stack is the JDK's. */
    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("com.sun.")) {
                continue;
            }
            for (String[] library : LIBRARIES) {
                if (type.startsWith(library[0])) {
                    return library[1];
                }
            }
            return "other: " + type.substring(0, Math.max(0, type.lastIndexOf('.')));
        }
        return "JDK";
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static Map<String, Object> top(Map<String, Long> counts, long total, int limit) {
        Map<String, Object> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> top.put(e.getKey(), Math.round(e.getValue() * 1000.0 / Math.max(1, total)) / 10.0));
        return top;
    }

    private static void jcmd(long pid, String... command) {
        Path jdkJcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> line = new java.util.ArrayList<>(List.of(Files.isExecutable(jdkJcmd) ? jdkJcmd.toString() : "jcmd",
                Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                log.warn("jcmd {} {} failed: {}", pid, String.join(" ", command), output.trim());
            }
        } catch (IOException e) {
            log.warn("jcmd is not available ({}): no profile for pid {}", e.getMessage(), pid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

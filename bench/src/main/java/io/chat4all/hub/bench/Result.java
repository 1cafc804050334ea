package io.chat4all.hub.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run's result: the scenario, its parameters, the machine it ran on and the figures, written
 * as {@code bench/results/<UTC time>-<scenario>.json}.
 */
final class Result {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Map<String, Object> document = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private String scenario;
    private final Instant startedAt = Instant.now();

    Result(String scenario, Map<String, Object> parameters) {
        this.scenario = scenario;
        document.put("scenario", scenario);
        document.put("started_at", startedAt.toString());
        document.put("parameters", parameters);
        document.put("machine", machine());
        document.put("results", figures);
    }

    /** Records a figure (and prints it). */
    Result put(String name, Object value) {
        figures.put(name, value);
        log.info("  {}: {}", name, value);
        return this;
    }

    /** The same result under another scenario name (a scenario built on another one). */
    Result renamed(String name) {
        scenario = name;
        document.put("scenario", name);
        return this;
    }

    Path write(Path directory) {
        document.put("finished_at", Instant.now().toString());
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(startedAt);
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(stamp + "-" + scenario + ".json");
            Files.writeString(file, JSON.writeValueAsString(document));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result under " + directory, e);
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            machine.put("memory_bytes", os.getTotalMemorySize());
        }
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return machine;
    }
}

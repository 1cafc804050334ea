package io.chat4all.hub.localstack.cli;

import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code .hub/run/stack.json}: what a {@code ./hub up} started (pid, how to stop it, how to check
 * it), so {@code ./hub status} and {@code ./hub down} work from any other process. Rewritten after
 * every start so a crash half-way still leaves a way to clean up.
 *
 * @param launcherPid the pid of a foreground {@code ./hub up}; 0 once it detached
 */
public record StackState(long launcherPid, List<Part> parts) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * One process of the stack.
     *
     * @param type   {@code engine} or {@code service}
     * @param check  what health means: an engine kind id ({@code postgres}, …) or a service's readiness URL
     * @param signal the signal that stops it cleanly
     */
    public record Part(String name, String type, long pid, String signal, String address, String check, String log) {

        ManagedProcess process() {
            return ManagedProcess.attach(name, pid, Path.of(log));
        }
    }

    public StackState {
        parts = List.copyOf(parts);
    }

    public static Optional<StackState> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (JacksonException e) {
            throw new StackException("cannot read " + file + ": " + e.getOriginalMessage(),
                    "stop leftover processes by hand (see .hub/logs) and delete " + file, e);
        }
    }

    public void write(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(this));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), "check permissions of .hub/", e);
        }
    }

    public StackState with(Part part) {
        List<Part> more = new ArrayList<>(parts);
        more.add(part);
        return new StackState(launcherPid, more);
    }

    public StackState detached() {
        return new StackState(0, parts);
    }

    public List<Part> alive() {
        return parts.stream().filter(p -> p.process().isAlive()).toList();
    }

    /** Services first, then engines; within each group in parallel. */
    public void stopAll(java.util.function.Consumer<String> progress) {
        for (String type : List.of("service", "engine")) {
            List<CompletableFuture<Void>> stopping = new ArrayList<>();
            for (Part part : parts) {
                if (!part.type().equals(type) || !part.process().isAlive()) {
                    continue;
                }
                stopping.add(CompletableFuture.runAsync(() -> {
                    long t0 = System.nanoTime();
                    boolean clean = part.process().stop(part.signal(), Duration.ofSeconds(30));
                    progress.accept(String.format("  %-18s %s (%.1f s)", part.name(),
                            clean ? "stopped" : "killed after 30 s", (System.nanoTime() - t0) / 1e9));
                }));
            }
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        }
    }
}

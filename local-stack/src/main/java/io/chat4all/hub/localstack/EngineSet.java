package io.chat4all.hub.localstack;

import io.chat4all.hub.localstack.engine.Engine;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.engine.PostgresEngine;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.Ports;
import io.chat4all.hub.localstack.process.StackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running engines. They do not depend on each other, so they start in parallel; each is waited
 * for until healthy and then prepared (database, bucket). If one fails, the ones already started
 * are stopped again and the failure names the cause.
 */
public final class EngineSet {

    private static final Logger log = LoggerFactory.getLogger(EngineSet.class);

    private final Map<EngineKind, Engine> engines;

    private EngineSet(Map<EngineKind, Engine> engines) {
        this.engines = engines;
    }

    public static EngineSet start(StackConfig config, Collection<EngineKind> kinds, Duration timeout,
                                  Consumer<String> progress) {
        Map<EngineKind, Engine> engines = new EnumMap<>(EngineKind.class);
        kinds.forEach(kind -> engines.put(kind, config.engine(kind)));
        checkPortsFree(engines.values());
        EngineSet set = new EngineSet(engines);
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (Engine engine : engines.values()) {
            starting.add(CompletableFuture.runAsync(() -> {
                long t0 = System.nanoTime();
                engine.start();
                engine.awaitReady(timeout);
                progress.accept(String.format("  %-14s ready at %s (%.1f s)", engine.kind().id(), engine.address(),
                        (System.nanoTime() - t0) / 1e9));
            }));
        }
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
            return set;
        } catch (CompletionException e) {
            set.stop();
            if (e.getCause() instanceof StackException stackException) {
                throw stackException;
            }
            throw new StackException("an engine failed to start: " + e.getCause(), "see the logs", e.getCause());
        }
    }

    private static void checkPortsFree(Collection<Engine> engines) {
        List<String> taken = new ArrayList<>();
        for (Engine engine : engines) {
            for (int port : engine.ports()) {
                if (!Ports.isFree(port)) {
                    taken.add(port + " (" + engine.kind().id() + ")");
                }
            }
        }
        if (!taken.isEmpty()) {
            throw new StackException("port(s) already in use: " + String.join(", ", taken),
                    "stop whatever listens there (is another ./hub up running? try ./hub status), or choose other ports"
                            + " with HUB_POSTGRES_PORT, HUB_KAFKA_PORT, HUB_KAFKA_CONTROLLER_PORT, HUB_S3_PORT,"
                            + " HUB_ELASTICSEARCH_PORT, HUB_ELASTICSEARCH_TRANSPORT_PORT");
        }
    }

    public Engine get(EngineKind kind) {
        Engine engine = engines.get(kind);
        if (engine == null) {
            throw new IllegalStateException(kind + " was not started in this stack");
        }
        return engine;
    }

    public boolean has(EngineKind kind) {
        return engines.containsKey(kind);
    }

    public Collection<Engine> engines() {
        return engines.values();
    }

    /** The environment variables services use to reach every engine of this set. */
    public Map<String, String> connection() {
        Map<String, String> all = new LinkedHashMap<>();
        engines.values().forEach(engine -> all.putAll(engine.connection()));
        return all;
    }

    /** Stops the engines we started, in parallel; external engines are left alone. */
    public void stop() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Engine engine : engines.values()) {
            String signal = engine instanceof PostgresEngine ? PostgresEngine.STOP_SIGNAL : "TERM";
            for (ManagedProcess process : engine.processes()) {
                stopping.add(CompletableFuture.runAsync(() -> {
                    if (!process.stop(signal, Duration.ofSeconds(30))) {
                        log.warn("{} did not stop within 30 s and was killed", process.name());
                    }
                }));
            }
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
    }
}

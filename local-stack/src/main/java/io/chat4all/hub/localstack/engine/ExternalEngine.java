package io.chat4all.hub.localstack.engine;

import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An engine someone else runs, named by its environment variables (e.g.
 * {@code KAFKA_BOOTSTRAP_SERVERS}): we start nothing, only check its health and pass it on.
 */
public final class ExternalEngine implements Engine {

    private final EngineKind kind;
    private final Map<String, String> connection;
    private final Predicate<Map<String, String>> probe;

    public ExternalEngine(EngineKind kind, Map<String, String> environment) {
        this.kind = kind;
        this.connection = new TreeMap<>();
        environment.forEach((key, value) -> {
            if (key.startsWith(prefix(kind)) && value != null && !value.isBlank()) {
                connection.put(key, value);
            }
        });
        this.probe = switch (kind) {
            case POSTGRES -> c -> Probes.postgres(c.get("POSTGRES_URL"), c.getOrDefault("POSTGRES_USER", ""),
                    c.getOrDefault("POSTGRES_PASSWORD", ""));
            case KAFKA -> c -> Probes.kafka(c.get("KAFKA_BOOTSTRAP_SERVERS"));
            case S3 -> c -> Probes.s3(c.get("S3_ENDPOINT"), c.getOrDefault("S3_ACCESS_KEY", ""),
                    c.getOrDefault("S3_SECRET_KEY", ""), c.get("S3_BUCKET"));
            case ELASTICSEARCH -> c -> Probes.elasticsearch(c.get("ELASTICSEARCH_URL"));
        };
    }

    private static String prefix(EngineKind kind) {
        return switch (kind) {
            case POSTGRES -> "POSTGRES_";
            case KAFKA -> "KAFKA_";
            case S3 -> "S3_";
            case ELASTICSEARCH -> "ELASTICSEARCH_";
        };
    }

    @Override
    public EngineKind kind() {
        return kind;
    }

    @Override
    public List<Integer> ports() {
        return List.of();
    }

    @Override
    public void start() {
        // someone else runs it
    }

    @Override
    public void awaitReady(Duration timeout) {
        Wait.until("external " + kind.id() + " at " + address() + " (from " + kind.externalVariable() + ")",
                timeout, this::isHealthy, (ManagedProcess) null);
    }

    @Override
    public boolean isHealthy() {
        return probe.test(connection);
    }

    @Override
    public List<ManagedProcess> processes() {
        return List.of();
    }

    @Override
    public String address() {
        return connection.get(kind.externalVariable());
    }

    @Override
    public Map<String, String> connection() {
        return Map.copyOf(connection);
    }
}

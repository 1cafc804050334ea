package io.chat4all.hub.localstack;

import io.chat4all.hub.localstack.engine.ElasticsearchEngine;
import io.chat4all.hub.localstack.engine.Engine;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.engine.ExternalEngine;
import io.chat4all.hub.localstack.engine.KafkaEngine;
import io.chat4all.hub.localstack.engine.PostgresEngine;
import io.chat4all.hub.localstack.engine.S3Engine;
import io.chat4all.hub.localstack.process.Ports;
import java.util.List;
import java.util.Map;

/**
 * How a stack is set up: where it lives, its ports and credentials, and which engines are external
 * (named by environment variables) instead of started here.
 */
public record StackConfig(StackLayout layout, Secrets secrets, Map<String, String> environment,
                          int postgresPort, int kafkaPort, int kafkaControllerPort, int s3Port,
                          int elasticsearchPort, int elasticsearchTransportPort) {

    public static final String DATABASE = "chat4all";
    public static final String DATABASE_USER = "chat4all";
    public static final String S3_ACCESS_KEY = "chat4all";
    public static final String BUCKET = "chat4all";

    /** The stack of {@code ./hub up}: fixed ports (each overridable), persistent credentials. */
    public static StackConfig forHub(StackLayout layout, Secrets secrets, Map<String, String> environment) {
        return new StackConfig(layout, secrets, environment,
                port(environment, "HUB_POSTGRES_PORT", 15432),
                port(environment, "HUB_KAFKA_PORT", 19092),
                port(environment, "HUB_KAFKA_CONTROLLER_PORT", 19093),
                port(environment, "HUB_S3_PORT", 19000),
                port(environment, "HUB_ELASTICSEARCH_PORT", 19200),
                port(environment, "HUB_ELASTICSEARCH_TRANSPORT_PORT", 19300));
    }

    /** A test JVM's stack: free ports, throwaway credentials, every engine started here. */
    public static StackConfig forTests(StackLayout layout) {
        return new StackConfig(layout, Secrets.ephemeral(), Map.of(), Ports.freePort(), Ports.freePort(),
                Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort());
    }

    public static int port(Map<String, String> environment, String variable, int fallback) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new io.chat4all.hub.localstack.process.StackException(variable + "='" + value + "' is not a TCP port",
                    "set " + variable + " to a number between 1 and 65535, or unset it");
        }
    }

    public boolean isExternal(EngineKind kind) {
        String value = environment.get(kind.externalVariable());
        return value != null && !value.isBlank();
    }

    public Engine engine(EngineKind kind) {
        if (isExternal(kind)) {
            return new ExternalEngine(kind, environment);
        }
        return switch (kind) {
            case POSTGRES -> new PostgresEngine(layout, postgresPort, DATABASE, DATABASE_USER,
                    secrets.get("postgres.password"), secrets.get("postgres.superuser.password"));
            case KAFKA -> new KafkaEngine(layout, kafkaPort, kafkaControllerPort,
                    environment.getOrDefault("HUB_KAFKA_HEAP", "512m"));
            case S3 -> new S3Engine(layout, s3Port, S3_ACCESS_KEY, secrets.get("s3.secret.key"), List.of(BUCKET));
            case ELASTICSEARCH -> new ElasticsearchEngine(layout, elasticsearchPort, elasticsearchTransportPort,
                    environment.getOrDefault("HUB_ELASTICSEARCH_HEAP", "512m"));
        };
    }
}

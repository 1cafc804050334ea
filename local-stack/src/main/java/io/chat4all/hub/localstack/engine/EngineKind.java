package io.chat4all.hub.localstack.engine;

/**
 * The engines the hub needs. Each can be replaced by an external one: when its environment
 * variable is set (e.g. {@code KAFKA_BOOTSTRAP_SERVERS}), the stack starts nothing for it and
 * passes the given address on to the services.
 */
public enum EngineKind {
    POSTGRES("postgres", "POSTGRES_URL"),
    KAFKA("kafka", "KAFKA_BOOTSTRAP_SERVERS"),
    S3("s3", "S3_ENDPOINT"),
    ELASTICSEARCH("elasticsearch", "ELASTICSEARCH_URL");

    private final String id;
    private final String externalVariable;

    EngineKind(String id, String externalVariable) {
        this.id = id;
        this.externalVariable = externalVariable;
    }

    public String id() {
        return id;
    }

    /** The environment variable that points the hub at an external engine instead. */
    public String externalVariable() {
        return externalVariable;
    }
}

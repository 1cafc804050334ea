package io.chat4all.hub.indexer.cdc;

import io.chat4all.hub.indexer.config.IndexerProperties;
import java.net.URI;
import java.util.Properties;

/** The Debezium engine's configuration, from the service's datasource and {@code hub.indexer.cdc}. */
public final class DebeziumSettings {

    /** Debezium's name for the topics of this engine; heartbeat records carry it too. */
    static final String TOPIC_PREFIX = "chat4all";
    static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

    private DebeziumSettings() {
    }

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database[?…]}
     */
    public static Properties of(IndexerProperties.Cdc cdc, String jdbcUrl, String user, String password) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath() == null ? "" : uri.getPath();
        Properties p = new Properties();
        p.setProperty("name", "chat4all-indexer");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.hostname", uri.getHost());
        p.setProperty("database.port", Integer.toString(uri.getPort() > 0 ? uri.getPort() : 5432));
        p.setProperty("database.user", user);
        p.setProperty("database.password", password == null ? "" : password);
        p.setProperty("database.dbname", path.startsWith("/") ? path.substring(1) : path);
        p.setProperty("topic.prefix", TOPIC_PREFIX);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", cdc.slotName());
        p.setProperty("publication.name", cdc.publication());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", cdc.table());
        p.setProperty("snapshot.mode", cdc.snapshotMode());
        // Deletes are events with a before image; no tombstones (the CDC topic is not compacted).
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("poll.interval.ms", Long.toString(cdc.pollInterval().toMillis()));
        p.setProperty("heartbeat.interval.ms", Long.toString(cdc.heartbeatInterval().toMillis()));
        // A change in the publication on every heartbeat (schema V13): the slot's position moves
        // even while messages is quiet and other tables write WAL, so PostgreSQL never has to
        // invalidate the slot for the WAL it holds.
        p.setProperty("heartbeat.action.query", "INSERT INTO cdc_heartbeat (id, beat_at) VALUES (1, now())"
                + " ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at");
        p.setProperty("key.converter.schemas.enable", "false");
        p.setProperty("value.converter.schemas.enable", "false");
        // Offsets live in the database they describe, so they cannot outlive or lag its data.
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty("offset.storage.jdbc.connection.url", jdbcUrl);
        p.setProperty("offset.storage.jdbc.connection.user", user);
        p.setProperty("offset.storage.jdbc.connection.password", password == null ? "" : password);
        p.setProperty("offset.storage.jdbc.table.name", cdc.offsetsTable());
        p.setProperty("offset.flush.interval.ms", Long.toString(cdc.offsetFlushInterval().toMillis()));
        p.setProperty("offset.flush.timeout.ms", "10000");
        return p;
    }
}

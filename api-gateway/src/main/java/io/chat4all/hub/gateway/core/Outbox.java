package io.chat4all.hub.gateway.core;

import io.chat4all.hub.contracts.kafka.TopicSpec;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Adds an event to the transactional outbox. Call it inside the transaction that makes the change
 * the event describes: both commit or neither does. The relay publishes it.
 */
@Component
public class Outbox {

    private final JdbcTemplate jdbc;

    Outbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public <V> void add(TopicSpec<UUID, V> topic, UUID key, V event) {
        byte[] payload = topic.valueSerde().serializer().serialize(topic.name(), event);
        jdbc.update("INSERT INTO outbox (topic, record_key, payload) VALUES (?, ?, ?)", topic.name(), key, payload);
    }
}

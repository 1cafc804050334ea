package io.chat4all.hub.gateway.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The idempotency record of {@code POST /v1/messages}, shared by all gateway instances: one row per
 * client {@code message_id} with the request hash and the exact event, written once the broker
 * acknowledged it. Blocking: call through {@link Jdbc}.
 */
@Repository
public class AcceptedMessages {

    private final JdbcTemplate jdbc;

    AcceptedMessages(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An acceptance: the message id, the hub's id, the request hash and the exact event. */
    public record Accepted(UUID messageId, long msgId, UUID conversationId, UUID senderId, String requestHash,
                           Instant acceptedAt, byte[] event) {
    }

    public Optional<Accepted> find(UUID messageId) {
        return jdbc.query("SELECT message_id, msg_id, conversation_id, sender_id, request_hash, accepted_at, event"
                + " FROM accepted_messages WHERE message_id = ?", (rs, i) -> new Accepted(rs.getObject(1, UUID.class),
                rs.getLong(2), rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getString(5),
                rs.getTimestamp(6).toInstant(), rs.getBytes(7)), messageId)
                .stream().findFirst();
    }

    /** Records an acknowledged acceptance; false when the message id was recorded already (by a concurrent request). */
    public boolean insert(Accepted accepted) {
        return jdbc.update("INSERT INTO accepted_messages (message_id, msg_id, conversation_id, sender_id, request_hash,"
                        + " accepted_at, event, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted') ON CONFLICT (message_id) DO NOTHING",
                accepted.messageId(), accepted.msgId(), accepted.conversationId(), accepted.senderId(),
                accepted.requestHash(), Timestamp.from(accepted.acceptedAt()), accepted.event()) == 1;
    }
}

package io.chat4all.hub.indexer;

import io.chat4all.hub.localstack.junit.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Canonical message rows written straight into PostgreSQL, as storage-writer writes them. */
final class MessageRows {

    private static final AtomicLong NEXT_MSG_ID = new AtomicLong(System.currentTimeMillis() * 1000);

    private final TestStack stack;

    MessageRows(TestStack stack) {
        this.stack = stack;
    }

    /** Inserts a message and returns its message id. */
    UUID insert(UUID conversation, long seq, UUID sender, List<UUID> participants, String payloadJson) {
        UUID messageId = UUID.randomUUID();
        try (Connection c = stack.openDatabaseConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO messages (msg_id, message_id, conversation_id, seq, sender_id, payload, metadata, channels,
                                      participants, request_hash, accepted_at, routed_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, '{}'::jsonb, '{}', ?, 'test', ?, ?)""")) {
            ps.setLong(1, NEXT_MSG_ID.incrementAndGet());
            ps.setObject(2, messageId);
            ps.setObject(3, conversation);
            ps.setLong(4, seq);
            ps.setObject(5, sender);
            ps.setString(6, payloadJson);
            ps.setArray(7, c.createArrayOf("uuid", participants.toArray()));
            Timestamp now = Timestamp.from(Instant.now());
            ps.setTimestamp(8, now);
            ps.setTimestamp(9, now);
            ps.executeUpdate();
            return messageId;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String text) {
        return "{\"type\":\"text\",\"text\":\"" + text + "\"}";
    }

    void delete(UUID messageId) {
        try (Connection c = stack.openDatabaseConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE message_id = ?")) {
            ps.setObject(1, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void dropSlot(String slot) {
        try (Connection c = stack.openDatabaseConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

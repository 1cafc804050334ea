package io.chat4all.hub.storage.persistence;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.kafka.EventJson;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Batch writes of the history. Every write is idempotent (natural keys, {@code ON CONFLICT}), so a
 * redelivered batch changes nothing; a status only ever moves forward.
 */
@Repository
public class HistoryStore {

    /** recipient_id / channel of message-wide status steps (accepted, in_transit). */
    public static final UUID WHOLE_MESSAGE = new UUID(0, 0);
    public static final String HUB_CHANNEL = "hub";

    private static final String INSERT_MESSAGE = """
            INSERT INTO messages (msg_id, message_id, conversation_id, seq, sender_id, payload, metadata, channels,
                                  participants, request_hash, accepted_at, routed_at)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String ADVANCE_CONVERSATION = """
            UPDATE conversations SET last_seq = GREATEST(last_seq, ?), last_activity_at = GREATEST(last_activity_at, ?)
            WHERE conversation_id = ?""";
    private static final String INSERT_COPY = """
            INSERT INTO participant_messages (owner_id, conversation_id, seq, msg_id, message_id, sender_id, direction,
                                              payload, metadata, accepted_at, stream_partition, stream_offset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String ADVANCE_PROGRESS = """
            INSERT INTO stream_progress AS p (topic, partition, next_offset, updated_at) VALUES (?, ?, ?, now())
            ON CONFLICT (topic, partition) DO UPDATE
                SET next_offset = GREATEST(p.next_offset, excluded.next_offset), updated_at = excluded.updated_at""";
    /** Moves a delivery forward and, only if it moved, appends the transition to the audit trail. */
    private static final String ADVANCE_STATUS = """
            WITH advanced AS (
                INSERT INTO message_status AS current (msg_id, recipient_id, channel, status, rank, provider_message_id,
                                                       error_code, error_reason, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (msg_id, recipient_id, channel) DO UPDATE
                    SET status = excluded.status, rank = excluded.rank,
                        provider_message_id = COALESCE(excluded.provider_message_id, current.provider_message_id),
                        error_code = excluded.error_code, error_reason = excluded.error_reason,
                        updated_at = excluded.updated_at
                    WHERE current.status NOT IN ('read', 'failed') AND excluded.rank > current.rank
                RETURNING msg_id, recipient_id, channel, status, updated_at)
            INSERT INTO message_status_history (event_id, msg_id, recipient_id, channel, status, at, detail)
            SELECT ?, msg_id, recipient_id, channel, status, updated_at, ? FROM advanced
            ON CONFLICT (event_id) DO NOTHING""";

    private final JdbcTemplate jdbc;

    public HistoryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void saveRouted(List<MessageRouted> messages) {
        jdbc.batchUpdate(INSERT_MESSAGE, messages, messages.size(), (ps, m) -> {
            ps.setLong(1, m.msgId());
            ps.setObject(2, m.messageId());
            ps.setObject(3, m.conversationId());
            ps.setLong(4, m.seq());
            ps.setObject(5, m.senderId());
            ps.setString(6, json(m.payload()));
            ps.setString(7, json(m.metadata()));
            ps.setArray(8, ps.getConnection().createArrayOf("text",
                    m.channels().stream().map(Channel::wireName).toArray()));
            ps.setArray(9, ps.getConnection().createArrayOf("uuid", m.participants().toArray()));
            ps.setString(10, m.requestHash());
            ps.setTimestamp(11, timestamp(m.acceptedAt()));
            ps.setTimestamp(12, timestamp(m.occurredAt()));
        });
        jdbc.batchUpdate(ADVANCE_CONVERSATION, messages, messages.size(), (ps, m) -> {
            ps.setLong(1, m.seq());
            ps.setTimestamp(2, timestamp(m.acceptedAt()));
            ps.setObject(3, m.conversationId());
        });
    }

    /**
     * Stores the copies with their position in {@code messages.participant} and advances that
     * topic's progress per partition, in the caller's transaction.
     */
    public void saveCopies(List<ConsumerRecord<UUID, ParticipantMessage>> records) {
        jdbc.batchUpdate(INSERT_COPY, records, records.size(), (ps, record) -> {
            ParticipantMessage c = record.value();
            ps.setObject(1, c.ownerId());
            ps.setObject(2, c.conversationId());
            ps.setLong(3, c.seq());
            ps.setLong(4, c.msgId());
            ps.setObject(5, c.messageId());
            ps.setObject(6, c.senderId());
            ps.setString(7, c.direction().wireName());
            ps.setString(8, json(c.payload()));
            ps.setString(9, json(c.metadata()));
            ps.setTimestamp(10, timestamp(c.acceptedAt()));
            ps.setInt(11, record.partition());
            ps.setLong(12, record.offset());
        });
        Map<Integer, Long> next = new TreeMap<>();
        for (ConsumerRecord<UUID, ParticipantMessage> record : records) {
            next.merge(record.partition(), record.offset() + 1, Math::max);
        }
        List<Map.Entry<Integer, Long>> progress = List.copyOf(next.entrySet());
        jdbc.batchUpdate(ADVANCE_PROGRESS, progress, progress.size(), (ps, p) -> {
            ps.setString(1, records.get(0).topic());
            ps.setInt(2, p.getKey());
            ps.setLong(3, p.getValue());
        });
    }

    public void saveStatuses(List<DeliveryStatusChanged> statuses) {
        jdbc.batchUpdate(ADVANCE_STATUS, statuses, statuses.size(), HistoryStore::bindStatus);
    }

    private static void bindStatus(PreparedStatement ps, DeliveryStatusChanged s) throws SQLException {
        ps.setLong(1, s.msgId());
        ps.setObject(2, s.recipientId() == null ? WHOLE_MESSAGE : s.recipientId());
        ps.setString(3, s.channel() == null ? HUB_CHANNEL : s.channel().wireName());
        ps.setString(4, s.status().wireName());
        ps.setShort(5, (short) s.status().rank());
        ps.setString(6, s.providerMessageId());
        ps.setString(7, s.error() == null ? null : s.error().code());
        ps.setString(8, s.error() == null ? null : s.error().reason());
        ps.setTimestamp(9, timestamp(s.occurredAt()));
        ps.setObject(10, s.eventId());
        ps.setString(11, s.error() == null ? null : s.error().reason());
    }

    private static String json(Object value) {
        return EventJson.mapper().writeValueAsString(value);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }
}

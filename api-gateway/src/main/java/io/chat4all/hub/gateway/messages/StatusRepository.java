package io.chat4all.hub.gateway.messages;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Delivery statuses and their audit trail (written by storage-writer). Blocking: call through {@link Jdbc}. */
@Repository
public class StatusRepository {

    private static final UUID WHOLE_MESSAGE = new UUID(0, 0);

    private final JdbcTemplate jdbc;

    StatusRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The message a caller may see: its Snowflake id and when it was accepted. */
    public record Visible(long msgId, Instant acceptedAt) {
    }

    /** The current status of one delivery. */
    public record Delivery(UUID recipient, String channel, String status, int rank, Instant at, String errorCode,
                           String errorReason) {
    }

    /** One transition of the audit trail; recipient and channel are null for message-wide steps. */
    public record Transition(String status, Instant at, UUID recipient, String channel, String detail) {
    }

    /** The message if {@code caller} holds a copy (hot or archived), sent it, or is an integrator. */
    public Optional<Visible> visible(UUID messageId, UUID caller, boolean integrator) {
        String sql = integrator
                ? "SELECT msg_id, accepted_at FROM message_claims WHERE message_id = ?"
                        + " UNION ALL SELECT msg_id, accepted_at FROM messages WHERE message_id = ? LIMIT 1"
                : "SELECT msg_id, accepted_at FROM participant_messages WHERE message_id = ? AND owner_id = ?"
                        + " UNION ALL SELECT msg_id, accepted_at FROM message_claims WHERE message_id = ? AND sender_id = ?"
                        + " UNION ALL SELECT m.msg_id, m.accepted_at FROM messages m WHERE m.message_id = ? AND "
                        + ArchivedHistory.ARCHIVED_COPY + " LIMIT 1";
        Object[] args = integrator ? new Object[] {messageId, messageId}
                : new Object[] {messageId, caller, messageId, caller, messageId, caller, caller};
        return jdbc.query(sql, (rs, i) -> new Visible(rs.getLong(1), rs.getTimestamp(2).toInstant()), args).stream().findFirst();
    }

    public List<Delivery> deliveries(long msgId) {
        return jdbc.query("SELECT recipient_id, channel, status, rank, updated_at, error_code, error_reason FROM message_status"
                + " WHERE msg_id = ? AND recipient_id <> ? ORDER BY recipient_id, channel", (rs, i) -> new Delivery(
                rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                rs.getString(6), rs.getString(7)), msgId, WHOLE_MESSAGE);
    }

    /** The message-wide step (accepted / in_transit), if one was stored. */
    public Optional<String> wholeMessageStatus(long msgId) {
        return jdbc.queryForList("SELECT status FROM message_status WHERE msg_id = ? AND recipient_id = ?", String.class,
                msgId, WHOLE_MESSAGE).stream().findFirst();
    }

    public List<Transition> history(long msgId) {
        return jdbc.query("SELECT status, at, recipient_id, channel, detail FROM message_status_history WHERE msg_id = ?"
                + " ORDER BY at, status", (rs, i) -> {
                    UUID recipient = rs.getObject(3, UUID.class);
                    boolean whole = WHOLE_MESSAGE.equals(recipient);
                    return new Transition(rs.getString(1), rs.getTimestamp(2).toInstant(), whole ? null : recipient,
                            whole ? null : rs.getString(4), rs.getString(5));
                }, msgId);
    }
}

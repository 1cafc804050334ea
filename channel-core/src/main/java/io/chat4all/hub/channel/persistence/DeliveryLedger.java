package io.chat4all.hub.channel.persistence;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code channel_deliveries} table: one row per hub delivery. Claiming a delivery is one
 * atomic statement, so however often Kafka redelivers a record (restart, rebalance, crash), only
 * one claim ever leads to a provider call.
 */

public class DeliveryLedger {

    private static final String CLAIM = """
            INSERT INTO channel_deliveries (delivery_id, channel, msg_id, message_id, conversation_id, recipient_id,
                                            recipient_address, sender_account, state, status, status_rank)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sending', 'in_transit', 1)
            ON CONFLICT (delivery_id) DO UPDATE SET state = 'sending', updated_at = now()
                WHERE channel_deliveries.state = 'dead'
            RETURNING delivery_id
            """;

    private static final String COLUMNS = """
            delivery_id, channel, msg_id, message_id, conversation_id, recipient_id, state, provider_message_id,
            status, error_code, error_reason
            """;

    private final JdbcTemplate jdbc;

    public DeliveryLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the delivery for a provider call: true when it is new or was {@link #release released}
     * (or dead-lettered by an earlier version and now replayed). False means some consumer claimed
     * it already: look at {@link #find} for how it went.
     */
    public boolean claim(ChannelOutbound delivery, String senderAccount) {
        List<UUID> claimed = jdbc.queryForList(CLAIM, UUID.class, delivery.deliveryId(), delivery.channel().wireName(),
                delivery.msgId(), delivery.messageId(), delivery.conversationId(), delivery.recipientId(),
                delivery.recipientAddress(), senderAccount);
        return !claimed.isEmpty();
    }

    public Optional<LedgerEntry> find(UUID deliveryId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM channel_deliveries WHERE delivery_id = ?", DeliveryLedger::entry,
                deliveryId).stream().findFirst();
    }

    public Optional<LedgerEntry> findByProviderId(Channel channel, String providerMessageId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM channel_deliveries WHERE channel = ? AND provider_message_id = ?",
                DeliveryLedger::entry, channel.wireName(), providerMessageId).stream().findFirst();
    }

    /** The provider took it. Also settles an {@code uncertain} row that a webhook proved was sent. */
    public void markSent(UUID deliveryId, String providerMessageId, int attempts) {
        jdbc.update("""
                UPDATE channel_deliveries SET state = 'sent', provider_message_id = ?, attempts = attempts + ?,
                       status = CASE WHEN status_rank < 2 THEN 'sent' ELSE status END, status_rank = GREATEST(status_rank, 2),
                       updated_at = now()
                 WHERE delivery_id = ? AND state IN ('sending', 'uncertain')
                """, providerMessageId, attempts, deliveryId);
    }

    public void markFailed(UUID deliveryId, String code, String reason, int attempts) {
        jdbc.update("""
                UPDATE channel_deliveries SET state = 'failed', error_code = ?, error_reason = ?, attempts = attempts + ?,
                       status = 'failed', status_rank = 5, updated_at = now()
                 WHERE delivery_id = ? AND state = 'sending'
                """, code, reason, attempts, deliveryId);
    }

    /**
     * Not sent, and not the delivery's fault (the adapter's credentials were refused): the claim is
     * given back (state {@code dead}), so the redelivered record claims and sends it again.
     */
    public void release(UUID deliveryId, String code, String reason, int attempts) {
        jdbc.update("""
                UPDATE channel_deliveries SET state = 'dead', error_code = ?, error_reason = ?, attempts = attempts + ?,
                       updated_at = now()
                 WHERE delivery_id = ? AND state = 'sending'
                """, code, reason, attempts, deliveryId);
    }

    /** Found still 'sending' on redelivery: a consumer died mid-call. It is never resent automatically. */
    public boolean markUncertain(UUID deliveryId) {
        return jdbc.update("UPDATE channel_deliveries SET state = 'uncertain', updated_at = now() "
                + "WHERE delivery_id = ? AND state = 'sending'", deliveryId) == 1;
    }

    /**
     * Records that {@code status} was published for the delivery, if it is further than what was;
     * a provider id learnt from a webhook settles the row as sent.
     */
    public void advance(UUID deliveryId, DeliveryStatus status, String providerMessageId, String code, String reason) {
        jdbc.update("""
                UPDATE channel_deliveries
                   SET status = ?, status_rank = ?, provider_message_id = COALESCE(provider_message_id, ?),
                       state = CASE WHEN state IN ('sending', 'uncertain', 'dead') THEN ? ELSE state END,
                       error_code = COALESCE(?, error_code), error_reason = COALESCE(?, error_reason), updated_at = now()
                 WHERE delivery_id = ? AND status_rank < ? AND status NOT IN ('read', 'failed')
                """, status.wireName(), status.rank(), providerMessageId,
                status == DeliveryStatus.FAILED ? "failed" : "sent", code, reason, deliveryId, status.rank());
    }

    private static LedgerEntry entry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntry(rs.getObject("delivery_id", UUID.class), Channel.fromWire(rs.getString("channel")),
                rs.getLong("msg_id"), rs.getObject("message_id", UUID.class), rs.getObject("conversation_id", UUID.class),
                rs.getObject("recipient_id", UUID.class), rs.getString("state"), rs.getString("provider_message_id"),
                DeliveryStatus.fromWire(rs.getString("status")), rs.getString("error_code"), rs.getString("error_reason"));
    }
}

package io.chat4all.hub.storage.persistence;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.kafka.EventJson;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Batch writes of the history, a few statements per batch whatever its size: messages and copies go
 * in by binary {@code COPY} into a session's staging table and one merging statement; statuses by
 * one set-based statement. Every write is idempotent (natural keys, {@code ON CONFLICT}), so a
 * redelivered batch changes nothing; a status only ever moves forward. Runs inside the caller's
 * transaction (BatchWriter), which it requires.
 */
@Repository
public class HistoryStore {

    /** recipient_id / channel of message-wide status steps (accepted, in_transit). */
    public static final UUID WHOLE_MESSAGE = new UUID(0, 0);
    public static final String HUB_CHANNEL = "hub";

    private static final String MESSAGE_COLUMNS = "msg_id, message_id, conversation_id, seq, sender_id, payload,"
            + " metadata, channels, participants, request_hash, accepted_at, routed_at";
    private static final String STAGE_MESSAGES = """
            CREATE TEMP TABLE IF NOT EXISTS staged_messages (
                msg_id bigint, message_id uuid, conversation_id uuid, seq bigint, sender_id uuid, payload jsonb,
                metadata jsonb, channels text[], participants uuid[], request_hash text, accepted_at timestamptz,
                routed_at timestamptz) ON COMMIT DELETE ROWS""";
    /** Stores the staged messages once and moves each conversation of the batch forward once. */
    private static final String MERGE_MESSAGES = """
            WITH stored AS (
                INSERT INTO messages (%1$s) SELECT %1$s FROM staged_messages ON CONFLICT DO NOTHING)
            UPDATE conversations c SET last_seq = GREATEST(c.last_seq, s.seq),
                                       last_activity_at = GREATEST(c.last_activity_at, s.accepted_at)
            FROM (SELECT conversation_id, max(seq) AS seq, max(accepted_at) AS accepted_at
                  FROM staged_messages GROUP BY conversation_id) s
            WHERE c.conversation_id = s.conversation_id""".formatted(MESSAGE_COLUMNS);
    private static final String COPY_COLUMNS = "owner_id, conversation_id, seq, msg_id, message_id, sender_id, direction,"
            + " payload, metadata, accepted_at, stream_partition, stream_offset";
    private static final String STAGE_COPIES = """
            CREATE TEMP TABLE IF NOT EXISTS staged_copies (
                owner_id uuid, conversation_id uuid, seq bigint, msg_id bigint, message_id uuid, sender_id uuid,
                direction text, payload jsonb, metadata jsonb, accepted_at timestamptz, stream_partition integer,
                stream_offset bigint) ON COMMIT DELETE ROWS""";
    /** Stores the staged copies and advances the topic's progress per partition, in one statement. */
    private static final String MERGE_COPIES = """
            WITH stored AS (
                INSERT INTO participant_messages (%1$s) SELECT %1$s FROM staged_copies ON CONFLICT DO NOTHING)
            INSERT INTO stream_progress AS p (topic, partition, next_offset, updated_at)
            SELECT ?, stream_partition, max(stream_offset) + 1, now() FROM staged_copies GROUP BY stream_partition
            ON CONFLICT (topic, partition) DO UPDATE
                SET next_offset = GREATEST(p.next_offset, excluded.next_offset), updated_at = excluded.updated_at"""
            .formatted(COPY_COLUMNS);
    /**
     * Moves deliveries forward, a whole batch in one statement, with the result of applying its
     * statuses one by one in order: a status counts when nothing terminal (read, failed) came
     * before it, stored or earlier in the batch, and its rank is above the stored one and every
     * earlier one of the batch for the same delivery. Each delivery's row takes its last counting
     * status (the provider's message id stays the last one known); every counting status is
     * appended to the audit trail once (by event id, so a redelivered batch adds nothing).
     */
    private static final String ADVANCE_STATUSES = """
            WITH batch AS (
                SELECT * FROM unnest(?::bigint[], ?::uuid[], ?::text[], ?::text[], ?::smallint[], ?::text[], ?::text[],
                                     ?::text[], ?::timestamptz[], ?::uuid[]) WITH ORDINALITY
                    AS b(msg_id, recipient_id, channel, status, rank, provider_message_id, error_code, error_reason,
                         updated_at, event_id, ord)),
            judged AS (
                SELECT b.*, s.status AS stored_status, s.rank AS stored_rank,
                       max(b.rank) OVER earlier AS earlier_rank,
                       bool_or(b.status IN ('read', 'failed')) OVER earlier AS earlier_terminal
                FROM batch b LEFT JOIN message_status s USING (msg_id, recipient_id, channel)
                WINDOW earlier AS (PARTITION BY b.msg_id, b.recipient_id, b.channel ORDER BY b.ord
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
            counting AS (
                SELECT * FROM judged
                WHERE COALESCE(stored_status NOT IN ('read', 'failed'), true) AND NOT COALESCE(earlier_terminal, false)
                  AND rank > GREATEST(stored_rank, earlier_rank, -1)),
            latest AS (
                SELECT msg_id, recipient_id, channel, max(rank) AS rank,
                       (array_agg(status ORDER BY ord DESC))[1] AS status,
                       (array_agg(provider_message_id ORDER BY ord DESC)
                            FILTER (WHERE provider_message_id IS NOT NULL))[1] AS provider_message_id,
                       (array_agg(error_code ORDER BY ord DESC))[1] AS error_code,
                       (array_agg(error_reason ORDER BY ord DESC))[1] AS error_reason,
                       (array_agg(updated_at ORDER BY ord DESC))[1] AS updated_at
                FROM counting GROUP BY msg_id, recipient_id, channel),
            advanced AS (
                INSERT INTO message_status AS current (msg_id, recipient_id, channel, status, rank, provider_message_id,
                                                       error_code, error_reason, updated_at)
                SELECT msg_id, recipient_id, channel, status, rank, provider_message_id, error_code, error_reason,
                       updated_at FROM latest
                ON CONFLICT (msg_id, recipient_id, channel) DO UPDATE
                    SET status = excluded.status, rank = excluded.rank,
                        provider_message_id = COALESCE(excluded.provider_message_id, current.provider_message_id),
                        error_code = excluded.error_code, error_reason = excluded.error_reason,
                        updated_at = excluded.updated_at
                    WHERE current.status NOT IN ('read', 'failed') AND excluded.rank > current.rank)
            INSERT INTO message_status_history (event_id, msg_id, recipient_id, channel, status, at, detail)
            SELECT event_id, msg_id, recipient_id, channel, status, updated_at, error_reason FROM counting
            ON CONFLICT (event_id) DO NOTHING""";

    /** The physical connections that already have this session's staging tables. */
    private final Set<PGConnection> staged = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final JdbcTemplate jdbc;

    public HistoryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores each message once (binary COPY into a session's staging table, merged with
     * {@code ON CONFLICT DO NOTHING}) and moves each conversation of the batch forward once.
     */
    public void saveRouted(List<MessageRouted> messages) {
        BinaryCopy rows = new BinaryCopy(12);
        for (MessageRouted m : messages) {
            rows.row().int8(m.msgId()).uuid(m.messageId()).uuid(m.conversationId()).int8(m.seq()).uuid(m.senderId())
                    .jsonb(json(m.payload())).jsonb(json(m.metadata()))
                    .textArray(m.channels().stream().map(Channel::wireName).toList()).uuidArray(m.participants())
                    .text(m.requestHash()).timestamptz(m.acceptedAt()).timestamptz(m.occurredAt());
        }
        copyAndMerge("COPY staged_messages (" + MESSAGE_COLUMNS + ") FROM STDIN (FORMAT binary)", rows,
                MERGE_MESSAGES, null);
    }

    /**
     * Stores the copies with their position in {@code messages.participant} and advances that
     * topic's progress per partition, in the caller's transaction: one binary COPY into a staging
     * table and one statement that merges it. A message's payload is serialized once for all of
     * its copies in the batch.
     */
    public void saveCopies(List<ConsumerRecord<UUID, ParticipantMessage>> records) {
        BinaryCopy rows = new BinaryCopy(12);
        Map<Long, byte[]> payloads = new HashMap<>();
        for (ConsumerRecord<UUID, ParticipantMessage> record : records) {
            ParticipantMessage c = record.value();
            rows.row().uuid(c.ownerId()).uuid(c.conversationId()).int8(c.seq()).int8(c.msgId()).uuid(c.messageId())
                    .uuid(c.senderId()).text(c.direction().wireName())
                    .jsonb(payloads.computeIfAbsent(c.msgId(), id -> json(c.payload()))).jsonb(json(c.metadata()))
                    .timestamptz(c.acceptedAt()).int4(record.partition()).int8(record.offset());
        }
        copyAndMerge("COPY staged_copies (" + COPY_COLUMNS + ") FROM STDIN (FORMAT binary)", rows,
                MERGE_COPIES, records.get(0).topic());
    }

    /** Advances every delivery of the batch in one statement (see {@link #ADVANCE_STATUSES}). */
    public void saveStatuses(List<DeliveryStatusChanged> statuses) {
        int n = statuses.size();
        Long[] msgIds = new Long[n];
        UUID[] recipients = new UUID[n];
        String[] channels = new String[n];
        String[] names = new String[n];
        Short[] ranks = new Short[n];
        String[] providerIds = new String[n];
        String[] errorCodes = new String[n];
        String[] errorReasons = new String[n];
        Timestamp[] at = new Timestamp[n];
        UUID[] eventIds = new UUID[n];
        for (int i = 0; i < n; i++) {
            DeliveryStatusChanged s = statuses.get(i);
            msgIds[i] = s.msgId();
            recipients[i] = s.recipientId() == null ? WHOLE_MESSAGE : s.recipientId();
            channels[i] = s.channel() == null ? HUB_CHANNEL : s.channel().wireName();
            names[i] = s.status().wireName();
            ranks[i] = (short) s.status().rank();
            providerIds[i] = s.providerMessageId();
            errorCodes[i] = s.error() == null ? null : s.error().code();
            errorReasons[i] = s.error() == null ? null : s.error().reason();
            at[i] = Timestamp.from(s.occurredAt());
            eventIds[i] = s.eventId();
        }
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(ADVANCE_STATUSES);
            ps.setArray(1, con.createArrayOf("int8", msgIds));
            ps.setArray(2, con.createArrayOf("uuid", recipients));
            ps.setArray(3, con.createArrayOf("text", channels));
            ps.setArray(4, con.createArrayOf("text", names));
            ps.setArray(5, con.createArrayOf("int2", ranks));
            ps.setArray(6, con.createArrayOf("text", providerIds));
            ps.setArray(7, con.createArrayOf("text", errorCodes));
            ps.setArray(8, con.createArrayOf("text", errorReasons));
            ps.setArray(9, con.createArrayOf("timestamptz", at));
            ps.setArray(10, con.createArrayOf("uuid", eventIds));
            return ps;
        });
    }

    /**
     * On the transaction's connection: makes sure the session has its staging tables, copies the
     * rows into it and runs the merge (with {@code topic} as its one parameter when not null). The
     * staging table empties itself at commit ({@code ON COMMIT DELETE ROWS}).
     */
    private void copyAndMerge(String copy, BinaryCopy rows, String merge, String topic) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            PGConnection session = con.unwrap(PGConnection.class);
            if (!staged.contains(session)) {
                try (Statement create = con.createStatement()) {
                    create.execute(STAGE_MESSAGES);
                    create.execute(STAGE_COPIES);
                }
                // created in this transaction: they exist for the session only once it commits
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        staged.add(session);
                    }
                });
            }
            rows.sendTo(con, copy);
            try (PreparedStatement ps = con.prepareStatement(merge)) {
                if (topic != null) {
                    ps.setString(1, topic);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static byte[] json(Object value) {
        return EventJson.mapper().writeValueAsBytes(value);
    }
}

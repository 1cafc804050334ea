package io.chat4all.hub.storage.persistence;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.kafka.EventJson;
import io.chat4all.hub.storage.config.StorageWriterProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * in by binary {@code COPY} into a session's staging table and one merging statement when the batch
 * is large (a backlog), by one multi-row {@code INSERT} when it is small (light load, where staging
 * costs more than it saves; {@code STORAGE_WRITER_COPY_MIN_ROWS}); conversations, stream progress
 * and statuses move by one set-based statement each. Every write is idempotent (natural keys, {@code ON CONFLICT}), so a
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
    private static final String INSERT_MESSAGES = "INSERT INTO messages (" + MESSAGE_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String COPY_MESSAGES = "COPY staged_messages (" + MESSAGE_COLUMNS + ") FROM STDIN (FORMAT binary)";
    private static final String MERGE_MESSAGES = "INSERT INTO messages (" + MESSAGE_COLUMNS + ") SELECT " + MESSAGE_COLUMNS
            + " FROM staged_messages ON CONFLICT DO NOTHING";
    /** Each conversation of the batch moves forward once, to the batch's highest seq and time for it. */
    private static final String ADVANCE_CONVERSATIONS = """
            UPDATE conversations c SET last_seq = GREATEST(c.last_seq, s.seq),
                                       last_activity_at = GREATEST(c.last_activity_at, s.accepted_at)
            FROM (SELECT conversation_id, max(seq) AS seq, max(accepted_at) AS accepted_at
                  FROM unnest(?::uuid[], ?::bigint[], ?::timestamptz[]) AS m(conversation_id, seq, accepted_at)
                  GROUP BY conversation_id) s
            WHERE c.conversation_id = s.conversation_id""";
    private static final String COPY_COLUMNS = "owner_id, conversation_id, seq, msg_id, message_id, sender_id, direction,"
            + " payload, metadata, accepted_at, stream_partition, stream_offset";
    private static final String INSERT_COPIES = "INSERT INTO participant_messages (" + COPY_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String COPY_COPIES = "COPY staged_copies (" + COPY_COLUMNS + ") FROM STDIN (FORMAT binary)";
    private static final String MERGE_COPIES = "INSERT INTO participant_messages (" + COPY_COLUMNS + ") SELECT "
            + COPY_COLUMNS + " FROM staged_copies ON CONFLICT DO NOTHING";
    /** The topic's progress per partition of the batch, moved forward only. */
    private static final String ADVANCE_PROGRESS = """
            INSERT INTO stream_progress AS p (topic, partition, next_offset, updated_at)
            SELECT ?, partition, next_offset, now() FROM unnest(?::int[], ?::bigint[]) AS b(partition, next_offset)
            ON CONFLICT (topic, partition) DO UPDATE
                SET next_offset = GREATEST(p.next_offset, excluded.next_offset), updated_at = excluded.updated_at""";
    /** Staging tables of a session (created once per connection, emptied at every commit). */
    private static final String STAGING_TABLES = """
            CREATE TEMP TABLE IF NOT EXISTS staged_messages (
                msg_id bigint, message_id uuid, conversation_id uuid, seq bigint, sender_id uuid, payload jsonb,
                metadata jsonb, channels text[], participants uuid[], request_hash text, accepted_at timestamptz,
                routed_at timestamptz) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS staged_copies (
                owner_id uuid, conversation_id uuid, seq bigint, msg_id bigint, message_id uuid, sender_id uuid,
                direction text, payload jsonb, metadata jsonb, accepted_at timestamptz, stream_partition integer,
                stream_offset bigint) ON COMMIT DELETE ROWS""";
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
    private final int copyMinRows;

    public HistoryStore(JdbcTemplate jdbc, StorageWriterProperties properties) {
        this.jdbc = jdbc;
        this.copyMinRows = properties.copyMinRows();
    }

    /** Stores each message once and moves each conversation of the batch forward once. */
    public void saveRouted(List<MessageRouted> messages) {
        TableRows rows = rowsFor(messages.size(), 12);
        for (MessageRouted m : messages) {
            rows.row().int8(m.msgId()).uuid(m.messageId()).uuid(m.conversationId()).int8(m.seq()).uuid(m.senderId())
                    .jsonb(json(m.payload())).jsonb(json(m.metadata()))
                    .textArray(m.channels().stream().map(Channel::wireName).toList()).uuidArray(m.participants())
                    .text(m.requestHash()).timestamptz(m.acceptedAt()).timestamptz(m.occurredAt());
        }
        jdbc.execute((ConnectionCallback<Void>) con -> {
            write(con, rows, INSERT_MESSAGES, COPY_MESSAGES, MERGE_MESSAGES);
            try (PreparedStatement advance = con.prepareStatement(ADVANCE_CONVERSATIONS)) {
                advance.setArray(1, con.createArrayOf("uuid", messages.stream().map(MessageRouted::conversationId).toArray()));
                advance.setArray(2, con.createArrayOf("int8", messages.stream().map(MessageRouted::seq).toArray()));
                advance.setArray(3, con.createArrayOf("timestamptz",
                        messages.stream().map(m -> TableRows.sqlTimestamp(m.acceptedAt())).toArray()));
                advance.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Stores the copies with their position in {@code messages.participant} and advances that
     * topic's progress per partition, in the caller's transaction. A copy whose message row is
     * already stored carries no payload (stored once, in the message's row); otherwise the payload is
     * serialized once for all of its message's copies in the batch.
     */
    public void saveCopies(List<ConsumerRecord<UUID, ParticipantMessage>> records) {
        Set<Long> stored = storedMessages(records);
        TableRows rows = rowsFor(records.size(), 12);
        Map<Long, byte[]> payloads = new HashMap<>();
        Map<Integer, Long> next = new TreeMap<>();
        for (ConsumerRecord<UUID, ParticipantMessage> record : records) {
            ParticipantMessage c = record.value();
            rows.row().uuid(c.ownerId()).uuid(c.conversationId()).int8(c.seq()).int8(c.msgId()).uuid(c.messageId())
                    .uuid(c.senderId()).text(c.direction().wireName());
            if (stored.contains(c.msgId())) {
                rows.nul().nul();
            } else {
                rows.jsonb(payloads.computeIfAbsent(c.msgId(), id -> json(c.payload()))).jsonb(json(c.metadata()));
            }
            rows.timestamptz(c.acceptedAt()).int4(record.partition()).int8(record.offset());
            next.merge(record.partition(), record.offset() + 1, Math::max);
        }
        jdbc.execute((ConnectionCallback<Void>) con -> {
            write(con, rows, INSERT_COPIES, COPY_COPIES, MERGE_COPIES);
            try (PreparedStatement advance = con.prepareStatement(ADVANCE_PROGRESS)) {
                advance.setString(1, records.get(0).topic());
                advance.setArray(2, con.createArrayOf("int4", next.keySet().toArray()));
                advance.setArray(3, con.createArrayOf("int8", next.values().toArray()));
                advance.executeUpdate();
            }
            return null;
        });
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
            at[i] = TableRows.sqlTimestamp(s.occurredAt());
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
     * The messages of these copies whose row is already stored: their copies are stored without
     * payload and metadata (read from the message's row, see HotCopies). A message row committed
     * after this look stays unseen, and its copies keep their own payload: never wrong, only larger.
     */
    private Set<Long> storedMessages(List<ConsumerRecord<UUID, ParticipantMessage>> records) {
        Long[] ids = records.stream().map(r -> r.value().msgId()).distinct().toArray(Long[]::new);
        return new HashSet<>(jdbc.execute((ConnectionCallback<List<Long>>) con -> {
            try (PreparedStatement find = con.prepareStatement("SELECT msg_id FROM messages WHERE msg_id = ANY (?)")) {
                find.setArray(1, con.createArrayOf("int8", ids));
                List<Long> found = new ArrayList<>();
                try (ResultSet rs = find.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getLong(1));
                    }
                }
                return found;
            }
        }));
    }

    /** Binary COPY from {@link #copyMinRows} rows on, one multi-row INSERT below. */
    private TableRows rowsFor(int rows, int columns) {
        return rows >= copyMinRows ? new BinaryCopy(columns) : new InsertRows(columns);
    }

    /**
     * Writes {@code rows} on the transaction's connection, with {@code ON CONFLICT DO NOTHING}:
     * inserted directly, or copied into the session's staging table (created on first use) and
     * merged from there.
     */
    private void write(Connection con, TableRows rows, String insert, String copy, String merge) throws SQLException {
        if (rows instanceof InsertRows small) {
            small.insertInto(con, insert);
            return;
        }
        PGConnection session = con.unwrap(PGConnection.class);
        if (!staged.contains(session)) {
            try (Statement create = con.createStatement()) {
                create.execute(STAGING_TABLES);
            }
            // created in this transaction: they exist for the session only once it commits
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    staged.add(session);
                }
            });
        }
        ((BinaryCopy) rows).sendTo(con, copy);
        try (Statement merging = con.createStatement()) {
            merging.executeUpdate(merge);
        }
    }

    private static byte[] json(Object value) {
        return EventJson.mapper().writeValueAsBytes(value);
    }
}

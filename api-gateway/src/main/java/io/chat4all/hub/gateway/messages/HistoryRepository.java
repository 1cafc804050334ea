package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.archive.ArchiveRow;
import io.chat4all.hub.archive.HotCopies;
import io.chat4all.hub.contracts.kafka.EventJson;
import io.chat4all.hub.gateway.conversations.ConversationRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/**
 * History reads. A participant reads their own copies: hot ones in {@code participant_messages},
 * archived ones in Parquet objects ({@link ArchivedHistory}), merged into one {@code seq} order so
 * a page or a cursor never sees the boundary. An integrator reads the canonical messages, which
 * are never archived. The status is the least advanced delivery of the message (or its
 * message-wide step while it has none). Blocking: call through {@link Jdbc}.
 */
@Repository
public class HistoryRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final String STATUS = "COALESCE((SELECT s.status FROM message_status s WHERE s.msg_id = m.msg_id"
            + " ORDER BY (s.channel = 'hub'), s.rank LIMIT 1), 'in_transit') AS status";
    private static final String COLUMNS = "SELECT m.message_id, m.seq, m.conversation_id, m.sender_id, m.payload,"
            + " m.metadata, m.accepted_at, " + STATUS;
    /** A participant's copy: its payload may live in its message's row only (HotCopies). */
    private static final String COPY_COLUMNS = "SELECT m.message_id, m.seq, m.conversation_id, m.sender_id, "
            + HotCopies.payload("m") + " AS payload, " + HotCopies.metadata("m") + " AS metadata, m.accepted_at, " + STATUS;
    private static final String OWN = COPY_COLUMNS + " FROM participant_messages m WHERE m.owner_id = ? AND m.conversation_id = ?";
    private static final String CANONICAL = COLUMNS + " FROM messages m WHERE m.conversation_id = ?";

    private final JdbcTemplate jdbc;
    private final ArchivedHistory archive;
    private final ConversationRepository conversations;

    HistoryRepository(JdbcTemplate jdbc, ArchivedHistory archive, ConversationRepository conversations) {
        this.jdbc = jdbc;
        this.archive = archive;
        this.conversations = conversations;
    }

    /** True when {@code user} may read the conversation's history: a member now, or holding copies of it. */
    public boolean mayRead(UUID conversation, UUID user) {
        return conversations.find(conversation).map(c -> c.hasMember(user)).orElse(false)
                || holdsHistory(user, conversation);
    }

    /** One message as the API shows it. */
    public record StoredMessage(UUID messageId, Long seq, UUID conversationId, UUID from, Map<String, Object> payload,
                                Map<String, Object> metadata, String status, Instant createdAt) {
    }

    /** Which slice of a conversation: ascending after a seq, or descending before one (or from the newest). */
    public record Slice(Long afterSeq, Long beforeSeq, int limit) {
    }

    public List<StoredMessage> page(UUID owner, boolean canonical, UUID conversation, Slice slice) {
        StringBuilder sql = new StringBuilder(canonical ? CANONICAL : OWN);
        List<Object> args = new ArrayList<>(canonical ? List.of(conversation) : List.of(owner, conversation));
        if (slice.afterSeq() != null) {
            sql.append(" AND m.seq > ?");
            args.add(slice.afterSeq());
        }
        if (slice.beforeSeq() != null) {
            sql.append(" AND m.seq < ?");
            args.add(slice.beforeSeq());
        }
        boolean ascending = slice.afterSeq() != null;
        sql.append(ascending ? " ORDER BY m.seq ASC" : " ORDER BY m.seq DESC").append(" LIMIT ?");
        args.add(slice.limit());
        // Hot rows first, then the manifest: a batch archived in between shows up in the second
        // read (its rows may be in both, and are merged by seq), never in neither.
        List<StoredMessage> hot = jdbc.query(sql.toString(), HistoryRepository::message, args.toArray());
        if (canonical) {
            return hot;
        }
        // Only archived rows that can make the page: beyond the hot page's last row once it is full.
        Long after = slice.afterSeq();
        Long before = slice.beforeSeq();
        if (hot.size() == slice.limit()) {
            long last = hot.get(hot.size() - 1).seq();
            after = ascending ? after : Long.valueOf(last);
            before = ascending ? Long.valueOf(last) : before;
        }
        List<ArchiveRow> archived = archive.page(owner, conversation, after, before, ascending, slice.limit());
        if (archived.isEmpty()) {
            return hot;
        }
        Comparator<Long> order = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
        TreeMap<Long, StoredMessage> merged = new TreeMap<>(order);
        withCurrentStatus(archived).forEach(m -> merged.put(m.seq(), m));
        hot.forEach(m -> merged.put(m.seq(), m));
        return merged.values().stream().limit(slice.limit()).toList();
    }

    /** One of the owner's stored copies and its position in their event stream. */
    public record StreamedCopy(StoredMessage message, int partition, long offset) {
    }

    /**
     * The owner's stored copies after {@code afterOffset} up to {@code upToOffset} of their
     * partition of {@code messages.participant}, in stream order (real-time replay).
     */
    public List<StreamedCopy> streamAfter(UUID owner, int partition, long afterOffset, long upToOffset, int limit) {
        List<StreamedCopy> hot = jdbc.query(COPY_COLUMNS + ", m.stream_offset FROM participant_messages m WHERE m.owner_id = ?"
                        + " AND m.stream_offset > ? AND m.stream_offset <= ? AND m.stream_partition = ?"
                        + " ORDER BY m.stream_offset LIMIT ?",
                (rs, i) -> new StreamedCopy(message(rs, i), partition, rs.getLong("stream_offset")),
                owner, afterOffset, upToOffset, partition, limit);
        // As in page(): hot rows first, then the manifest, so a batch archived in between is read
        // at least once; only archived copies that can make the page (before a full hot page's end).
        long upTo = hot.size() == limit ? hot.get(hot.size() - 1).offset() : upToOffset;
        List<ArchiveRow> archived = archive.streamed(owner, partition, afterOffset, upTo);
        if (archived.isEmpty()) {
            return hot;
        }
        List<StoredMessage> messages = withCurrentStatus(archived);
        TreeMap<Long, StreamedCopy> merged = new TreeMap<>();
        for (int i = 0; i < archived.size(); i++) {
            long offset = archived.get(i).stream().offset();
            merged.put(offset, new StreamedCopy(messages.get(i), partition, offset));
        }
        hot.forEach(copy -> merged.put(copy.offset(), copy));
        return merged.values().stream().limit(limit).toList();
    }

    /** Every record of the topic's partition below this offset is stored (storage-writer's progress). */
    public long storedUpTo(String topic, int partition) {
        return jdbc.queryForList("SELECT next_offset FROM stream_progress WHERE topic = ? AND partition = ?", Long.class,
                topic, partition).stream().findFirst().orElse(0L);
    }

    /** True when the owner holds any copy of this conversation (a removed member keeps their history). */
    public boolean holdsHistory(UUID owner, UUID conversation) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM participant_messages"
                + " WHERE owner_id = ? AND conversation_id = ?)", Boolean.class, owner, conversation))
                || archive.holds(owner, conversation);
    }

    public Optional<StoredMessage> find(UUID owner, boolean canonical, UUID messageId) {
        String sql = canonical
                ? COLUMNS + " FROM messages m WHERE m.message_id = ? ORDER BY m.msg_id LIMIT 1"
                : COPY_COLUMNS + " FROM participant_messages m WHERE m.owner_id = ? AND m.message_id = ? ORDER BY m.msg_id LIMIT 1";
        Object[] args = canonical ? new Object[] {messageId} : new Object[] {owner, messageId};
        Optional<StoredMessage> hot = jdbc.query(sql, HistoryRepository::message, args).stream().findFirst();
        if (hot.isPresent() || canonical) {
            return hot;
        }
        return archive.find(owner, messageId).map(row -> withCurrentStatus(List.of(row)).get(0));
    }

    /**
     * Archived rows as the API shows them, in the same order, each with its message's current
     * status (statuses stay in PostgreSQL and keep moving after a copy is archived).
     */
    private List<StoredMessage> withCurrentStatus(List<ArchiveRow> rows) {
        Map<Long, String> statuses = archive.currentStatuses(rows.stream().map(ArchiveRow::msgId).toList());
        return rows.stream().map(row -> message(row, statuses.getOrDefault(row.msgId(), row.status()))).toList();
    }

    /**
     * Which of these canonical messages still exist: search answers only with those, so a message
     * deleted a moment ago never shows, even before the index has caught up.
     */
    public Set<Long> existing(Collection<Long> msgIds) {
        if (msgIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("SELECT msg_id FROM messages WHERE msg_id = ANY(?)", Long.class,
                (Object) msgIds.toArray(Long[]::new)));
    }

    private static StoredMessage message(ArchiveRow row, String status) {
        return new StoredMessage(row.messageId(), row.seq(), row.conversationId(), row.senderId(),
                EventJson.mapper().readValue(row.payload(), OBJECT), EventJson.mapper().readValue(row.metadata(), OBJECT),
                status, row.acceptedAt());
    }

    private static StoredMessage message(ResultSet rs, int row) throws SQLException {
        return new StoredMessage(rs.getObject("message_id", UUID.class), rs.getLong("seq"),
                rs.getObject("conversation_id", UUID.class), rs.getObject("sender_id", UUID.class),
                EventJson.mapper().readValue(rs.getString("payload"), OBJECT),
                EventJson.mapper().readValue(rs.getString("metadata"), OBJECT), rs.getString("status"),
                rs.getTimestamp("accepted_at").toInstant());
    }
}

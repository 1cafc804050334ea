package io.chat4all.hub.consolidator.archive;

import io.chat4all.hub.archive.ArchiveFile;
import io.chat4all.hub.archive.ArchiveRow;
import io.chat4all.hub.archive.HotCopies;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hot side of archiving: which rows are due, and the one transaction that records an archived
 * object in the manifest, counts it in its job's progress and deletes exactly its rows.
 */
public class HotHistory {

    // The message-level status as history shows it: the least advanced delivery, else the message-wide step.
    private static final String STATUS = "COALESCE((SELECT s.status FROM message_status s WHERE s.msg_id = p.msg_id"
            + " ORDER BY (s.channel = 'hub'), s.rank LIMIT 1), 'in_transit')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public HotHistory(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Users who own history accepted before {@code cutoff}. */
    public List<UUID> ownersBefore(Instant cutoff) {
        return jdbc.queryForList("SELECT DISTINCT owner_id FROM participant_messages WHERE accepted_at < ? ORDER BY owner_id",
                UUID.class, Timestamp.from(cutoff));
    }

    /**
     * The next batch of {@code owner}'s due rows, by conversation then {@code seq}. Per conversation,
     * due means every {@code seq} up to the newest one accepted before the cutoff: archived history is
     * always a {@code seq} prefix of a conversation. The same rows come back until they are deleted,
     * which is what makes a rerun write the same objects.
     *
     * <p>Two plain steps rather than one join: the due {@code seq} per conversation, then a primary
     * key range per conversation. A single statement planned on stale statistics (a table that just
     * grew by a million rows) once took minutes; these plans cannot go wrong that way.
     */
    public List<ArchiveRow> nextBatch(UUID owner, Instant cutoff, int maxRows) {
        List<Map.Entry<UUID, Long>> due = jdbc.query("""
                SELECT conversation_id, max(seq) FROM participant_messages WHERE owner_id = ? AND accepted_at < ?
                GROUP BY conversation_id ORDER BY conversation_id""",
                (rs, i) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)), owner, Timestamp.from(cutoff));
        List<ArchiveRow> rows = new ArrayList<>();
        for (Map.Entry<UUID, Long> conversation : due) {
            if (rows.size() >= maxRows) {
                break;
            }
            rows.addAll(jdbc.query("""
                    SELECT p.owner_id, p.conversation_id, p.seq, p.msg_id, p.message_id, p.sender_id, p.direction,
                           """ + HotCopies.payload("p") + "::text AS payload, " + HotCopies.metadata("p") + """
                    ::text AS metadata, p.accepted_at, p.stored_at,
                           p.stream_partition, p.stream_offset,
                           """ + STATUS + """
                     AS status
                    FROM participant_messages p
                    WHERE p.owner_id = ? AND p.conversation_id = ? AND p.seq <= ?
                    ORDER BY p.seq
                    LIMIT ?""", HotHistory::row, owner, conversation.getKey(), conversation.getValue(), maxRows - rows.size()));
        }
        return rows;
    }

    private static ArchiveRow row(ResultSet rs, int n) throws SQLException {
        return new ArchiveRow(rs.getObject("owner_id", UUID.class), rs.getObject("conversation_id", UUID.class),
                rs.getLong("seq"), rs.getLong("msg_id"), rs.getObject("message_id", UUID.class),
                rs.getObject("sender_id", UUID.class), rs.getString("direction"), rs.getString("payload"),
                rs.getString("metadata"), rs.getString("status"), rs.getTimestamp("accepted_at").toInstant(),
                rs.getTimestamp("stored_at").toInstant(), streamPosition(rs));
    }

    private static ArchiveRow.StreamPosition streamPosition(ResultSet rs) throws SQLException {
        long offset = rs.getLong("stream_offset");
        return rs.wasNull() ? null : new ArchiveRow.StreamPosition(rs.getInt("stream_partition"), offset);
    }

    /**
     * Records the verified object in the manifest and deletes its rows, in one transaction. If the
     * rows are not all there any more (another run archived them), nothing is recorded or deleted.
     */
    public void commit(UUID jobId, ArchiveFile file, String objectKey, Instant now) {
        List<ArchiveRow> rows = file.rows();
        transactions.executeWithoutResult(tx -> {
            jdbc.update("""
                    INSERT INTO archive_objects (object_key, owner_id, job_id, row_count, bytes, sha256, min_accepted_at,
                                                 max_accepted_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", objectKey, rows.get(0).ownerId(), jobId, rows.size(),
                    file.bytes(), file.sha256(), Timestamp.from(file.minAcceptedAt()), Timestamp.from(file.maxAcceptedAt()),
                    Timestamp.from(now));
            jdbc.batchUpdate("""
                    INSERT INTO archive_ranges (object_key, owner_id, conversation_id, min_seq, max_seq, row_count,
                                                first_row_group, last_row_group, min_stream_offset, max_stream_offset)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", file.ranges(), file.ranges().size(), (PreparedStatement ps, ArchiveFile.Range r) -> {
                ps.setString(1, objectKey);
                ps.setObject(2, rows.get(0).ownerId());
                ps.setObject(3, r.conversationId());
                ps.setLong(4, r.minSeq());
                ps.setLong(5, r.maxSeq());
                ps.setInt(6, r.rowCount());
                ps.setInt(7, r.firstRowGroup());
                ps.setInt(8, r.lastRowGroup());
                ps.setObject(9, r.minStreamOffset(), Types.BIGINT);
                ps.setObject(10, r.maxStreamOffset(), Types.BIGINT);
            });
            int deleted = 0;
            for (ArchiveFile.Range r : file.ranges()) {
                deleted += jdbc.update("DELETE FROM participant_messages WHERE owner_id = ? AND conversation_id = ?"
                        + " AND seq BETWEEN ? AND ?", rows.get(0).ownerId(), r.conversationId(), r.minSeq(), r.maxSeq());
            }
            jdbc.update("""
                    UPDATE archive_jobs SET rows_archived = rows_archived + ?, bytes_written = bytes_written + ?,
                           objects = objects + 1 WHERE job_id = ?""", rows.size(), file.bytes(), jobId);
            if (deleted != rows.size()) {
                throw new IllegalStateException("expected to delete " + rows.size() + " archived rows of " + objectKey
                        + " but found " + deleted + "; nothing recorded (another run may have archived them)");
            }
        });
    }
}

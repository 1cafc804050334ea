package io.chat4all.hub.gateway.files;

import io.chat4all.hub.gateway.messages.ArchivedHistory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code files} table. Blocking: call off the event loop. */
@Repository
public class FileRepository {

    private static final String COLUMNS = "file_id, owner_id, filename, content_type, size, sha256, object_key, upload_id,"
            + " part_size, part_count, state, reason, created_at, expires_at, completed_at";

    private final JdbcTemplate jdbc;

    FileRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(StoredFile f) {
        jdbc.update("INSERT INTO files (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                f.fileId(), f.ownerId(), f.filename(), f.contentType(), f.size(), f.sha256(), f.objectKey(), f.uploadId(),
                f.partSize(), f.partCount(), f.state(), f.reason(), Timestamp.from(f.createdAt()),
                Timestamp.from(f.expiresAt()), null);
    }

    /** Uploads {@code owner} started that are neither finished nor expired. */
    public int uploading(UUID owner) {
        return jdbc.queryForObject("SELECT count(*) FROM files WHERE owner_id = ? AND state = 'uploading' AND expires_at > now()",
                Integer.class, owner);
    }

    public Optional<StoredFile> find(UUID fileId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM files WHERE file_id = ?", FileRepository::row, fileId).stream()
                .findFirst();
    }

    /** Moves an upload to its final state; false when it was not {@code uploading} any more (a concurrent call won). */
    public boolean finish(UUID fileId, String state, String reason) {
        return jdbc.update("UPDATE files SET state = ?, reason = ?, completed_at = now() WHERE file_id = ?"
                + " AND state = 'uploading'", state, reason, fileId) == 1;
    }

    /** Uploads past their expiry, oldest first. */
    public List<StoredFile> expiredUploads(Instant now, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM files WHERE state = 'uploading' AND expires_at < ?"
                + " ORDER BY expires_at LIMIT ?", FileRepository::row, Timestamp.from(now), limit);
    }

    /**
     * True when {@code userId} may read the file: its uploader, or the owner of a history copy (hot or
     * archived) of a message that carries it (a hot copy carries the payload itself, or, since V12,
     * reads it from its message).
     */
    public boolean readableBy(UUID fileId, UUID userId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM files WHERE file_id = ? AND owner_id = ?)
                    OR EXISTS (SELECT 1 FROM participant_messages WHERE payload->>'type' = 'file'
                               AND payload->>'file_id' = ? AND owner_id = ?)
                    OR EXISTS (SELECT 1 FROM messages m WHERE m.payload->>'type' = 'file'
                               AND m.payload->>'file_id' = ? AND (EXISTS (SELECT 1 FROM participant_messages p
                                   WHERE p.owner_id = ? AND p.message_id = m.message_id AND p.sender_id = m.sender_id)
                               OR\s""" + ArchivedHistory.ARCHIVED_COPY + "))",
                Boolean.class, fileId, userId, fileId.toString(), userId, fileId.toString(), userId, userId, userId));
    }

    private static StoredFile row(ResultSet rs, int i) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        return new StoredFile(rs.getObject("file_id", UUID.class), rs.getObject("owner_id", UUID.class),
                rs.getString("filename"), rs.getString("content_type"), rs.getLong("size"), rs.getString("sha256"),
                rs.getString("object_key"), rs.getString("upload_id"), rs.getLong("part_size"), rs.getInt("part_count"),
                rs.getString("state"), rs.getString("reason"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), completed == null ? null : completed.toInstant());
    }
}

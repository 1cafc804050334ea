package io.chat4all.hub.gateway.admin;

import io.chat4all.hub.contracts.kafka.EventJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/**
 * Archive jobs as the gateway sees them: it queues requested ones and reads their progress; the
 * consolidator claims, runs and updates them (table {@code archive_jobs}).
 */
@Repository
public class ArchiveJobs {

    private static final TypeReference<List<Map<String, Object>>> ERRORS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;

    ArchiveJobs(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A job and its progress. */
    public record Job(UUID jobId, String trigger, UUID userId, Instant cutoff, String state, int usersTotal,
                      int usersDone, int usersFailed, long rows, long bytes, int objects, List<Map<String, Object>> errors,
                      String detail, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    public void queue(UUID jobId, UUID requestedBy, UUID userId, Instant cutoff, Instant now) {
        jdbc.update("INSERT INTO archive_jobs (job_id, trigger, requested_by, user_id, cutoff, state, created_at)"
                        + " VALUES (?, 'request', ?, ?, ?, 'queued', ?)", jobId, requestedBy, userId,
                cutoff == null ? null : Timestamp.from(cutoff), Timestamp.from(now));
    }

    public Optional<Job> find(UUID jobId) {
        return jdbc.query("SELECT * FROM archive_jobs WHERE job_id = ?", ArchiveJobs::job, jobId).stream().findFirst();
    }

    private static Job job(ResultSet rs, int row) throws SQLException {
        return new Job(rs.getObject("job_id", UUID.class), rs.getString("trigger"), rs.getObject("user_id", UUID.class),
                instant(rs, "cutoff"), rs.getString("state"), rs.getInt("users_total"), rs.getInt("users_done"),
                rs.getInt("users_failed"), rs.getLong("rows_archived"), rs.getLong("bytes_written"), rs.getInt("objects"),
                EventJson.mapper().readValue(rs.getString("errors"), ERRORS), rs.getString("detail"),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

package io.chat4all.hub.consolidator.jobs;

import io.chat4all.hub.contracts.kafka.EventJson;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code archive_jobs} table from the consolidator's side: claiming queued jobs (one instance
 * per job, {@code FOR UPDATE SKIP LOCKED}), progress, heartbeats, and recovering jobs whose runner
 * stopped. The row is the job's whole state, so nothing is lost with a process.
 */
public class ArchiveJobStore {

    /** A claimed job: what to archive. */
    public record Claimed(UUID jobId, UUID userId, Instant cutoff, boolean resumed) {
    }

    private final JdbcTemplate jdbc;

    public ArchiveJobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Queues the schedule's job unless one is still queued or running. */
    public Optional<UUID> queueScheduled(Instant now) {
        UUID jobId = UUID.randomUUID();
        int inserted = jdbc.update("""
                INSERT INTO archive_jobs (job_id, trigger, state, created_at)
                SELECT ?, 'schedule', 'queued', ?
                WHERE NOT EXISTS (SELECT 1 FROM archive_jobs WHERE trigger = 'schedule' AND state IN ('queued', 'running'))""",
                jobId, Timestamp.from(now));
        return inserted == 1 ? Optional.of(jobId) : Optional.empty();
    }

    /** Claims the oldest queued job for {@code instance}. */
    public Optional<Claimed> claim(String instance, Instant now) {
        List<Claimed> claimed = jdbc.query("""
                UPDATE archive_jobs SET state = 'running', claimed_by = ?, heartbeat_at = ?,
                                        started_at = COALESCE(started_at, ?)
                WHERE job_id = (SELECT job_id FROM archive_jobs WHERE state = 'queued'
                                ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING job_id, user_id, cutoff, detail""",
                (rs, row) -> new Claimed(rs.getObject("job_id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getTimestamp("cutoff") == null ? null : rs.getTimestamp("cutoff").toInstant(),
                        rs.getString("detail") != null),
                instance, Timestamp.from(now), Timestamp.from(now));
        return claimed.stream().findFirst();
    }

    /** Fixes the cutoff a job runs with and how many users it covers (again on a resumed job). */
    public void begin(UUID jobId, Instant cutoff, int usersTotal) {
        jdbc.update("UPDATE archive_jobs SET cutoff = ?, users_total = ?, users_done = 0, users_failed = 0 WHERE job_id = ?",
                Timestamp.from(cutoff), usersTotal, jobId);
    }

    /**
     * One user finished. (Rows, bytes and objects are counted per object, in the transaction that
     * commits it: {@code HotHistory.commit}, so progress moves while a large user is archived and a
     * resumed job never counts an object twice.)
     */
    public void userDone(UUID jobId, Instant now) {
        jdbc.update("UPDATE archive_jobs SET users_done = users_done + 1, heartbeat_at = ? WHERE job_id = ?",
                Timestamp.from(now), jobId);
    }

    /** One user failed: counted and recorded; what it archived before failing still counts. */
    public void userFailed(UUID jobId, UUID userId, String error, Instant now) {
        String entry = EventJson.mapper().writeValueAsString(
                List.of(Map.of("user_id", userId.toString(), "error", error, "at", now.toString())));
        jdbc.update("""
                UPDATE archive_jobs SET users_failed = users_failed + 1, errors = errors || ?::jsonb, heartbeat_at = ?
                WHERE job_id = ?""", entry, Timestamp.from(now), jobId);
    }

    public void heartbeat(UUID jobId, Instant now) {
        jdbc.update("UPDATE archive_jobs SET heartbeat_at = ? WHERE job_id = ? AND state = 'running'", Timestamp.from(now), jobId);
    }

    /** The job ended: succeeded when no user failed, else failed (the failed users' history stays hot). */
    public String finish(UUID jobId, Instant now) {
        return jdbc.queryForObject("""
                UPDATE archive_jobs SET state = CASE WHEN users_failed = 0 THEN 'succeeded' ELSE 'failed' END,
                       detail = CASE WHEN users_failed = 0 THEN detail ELSE
                                users_failed || ' of ' || users_total || ' users failed; their history stays in PostgreSQL'
                                || ' and the next run retries it' END,
                       finished_at = ?, heartbeat_at = ? WHERE job_id = ? RETURNING state""",
                String.class, Timestamp.from(now), Timestamp.from(now), jobId);
    }

    /** A job that cannot run at all. */
    public void fail(UUID jobId, String why, Instant now) {
        jdbc.update("UPDATE archive_jobs SET state = 'failed', detail = ?, finished_at = ? WHERE job_id = ?",
                why, Timestamp.from(now), jobId);
    }

    /**
     * Running jobs whose heartbeat is older than {@code stale} lost their runner (a crash, a kill):
     * they are queued again with a note, and the next claim resumes them. Archiving is idempotent
     * (same rows → same object keys; archived rows are gone), so resuming redoes nothing twice.
     */
    public int requeueInterrupted(Duration stale, Instant now) {
        return jdbc.update("""
                UPDATE archive_jobs SET state = 'queued',
                       detail = 'interrupted (runner ' || COALESCE(claimed_by, '?') || ' stopped, last heartbeat '
                                || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '); resumed'
                WHERE state = 'running' AND heartbeat_at < ?""", Timestamp.from(now.minus(stale)));
    }

    /** Jobs this instance was running when it stopped cleanly: queued again at once. */
    public int requeueOwn(String instance) {
        return jdbc.update("""
                UPDATE archive_jobs SET state = 'queued', detail = 'interrupted (runner ' || claimed_by || ' stopped); resumed'
                WHERE state = 'running' AND claimed_by = ?""", instance);
    }
}

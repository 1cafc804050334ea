package io.chat4all.hub.consolidator.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes, every {@code hub.retention.interval}, the rows that only matter for
 * {@code hub.retention.window} (7 days by default), in batches so no statement holds locks for long:
 * <ul>
 *   <li>{@code outbox}: events the relay published;</li>
 *   <li>{@code message_claims}: the idempotency records of {@code POST /v1/messages} (a retry
 *       with the same {@code message_id} after the window is a new message; the router's dedupe
 *       window, {@code HUB_ROUTER_DEDUPE_WINDOW}, is as long);</li>
 *   <li>{@code message_status_history}: the audit trail of delivery steps (the current status of
 *       each delivery stays in {@code message_status});</li>
 *   <li>{@code channel_deliveries}: the ledger of settled channel sends ({@code sent}, {@code failed}).</li>
 * </ul>
 * Messages and their history are never touched here: the consolidator archives them.
 */
public class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** Table → the statement deleting at most one batch of its rows older than the cut-off. */
    private static final Map<String, String> PRUNE = new LinkedHashMap<>();

    static {
        PRUNE.put("outbox", "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
                + " WHERE published_at < ? LIMIT ?)");
        PRUNE.put("message_claims", "DELETE FROM message_claims WHERE (message_id, sender_id) IN (SELECT message_id,"
                + " sender_id FROM message_claims WHERE accepted_at < ? LIMIT ?)");
        PRUNE.put("message_status_history", "DELETE FROM message_status_history WHERE event_id IN (SELECT event_id"
                + " FROM message_status_history WHERE at < ? LIMIT ?)");
        PRUNE.put("channel_deliveries", "DELETE FROM channel_deliveries WHERE delivery_id IN (SELECT delivery_id"
                + " FROM channel_deliveries WHERE updated_at < ? AND state IN ('sent', 'failed') LIMIT ?)");
    }

    private final JdbcTemplate jdbc;
    private final RetentionProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    public RetentionJob(JdbcTemplate jdbc, RetentionProperties properties, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    @Scheduled(fixedDelayString = "${hub.retention.interval:1h}", initialDelayString = "${hub.retention.initial-delay:1m}")
    void scheduled() {
        if (properties.enabled()) {
            prune();
        }
    }

    /** One run: every table pruned of its rows older than the window. Returns the rows deleted per table. */
    public Map<String, Long> prune() {
        Instant cutoff = clock.instant().minus(properties.window());
        Map<String, Long> deleted = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (Map.Entry<String, String> table : PRUNE.entrySet()) {
            long rows = 0;
            int batch;
            try {
                do {
                    batch = jdbc.update(table.getValue(), Timestamp.from(cutoff), properties.batchSize());
                    rows += batch;
                } while (batch == properties.batchSize());
            } catch (RuntimeException e) {
                log.warn("retention: pruning {} stopped after {} rows: {}; the next run goes on", table.getKey(), rows,
                        e.getMessage());
            }
            deleted.put(table.getKey(), rows);
            Counter.builder("hub.retention.deleted").description("Rows deleted by the retention job, by table")
                    .tag("table", table.getKey()).register(meters).increment(rows);
        }
        log.info("retention: deleted rows older than {} ({}) in {} ms: {}", properties.window(), cutoff,
                (System.nanoTime() - t0) / 1_000_000, deleted);
        return deleted;
    }

    /** The tables this job prunes, in order. */
    public static List<String> tables() {
        return List.copyOf(PRUNE.keySet());
    }
}

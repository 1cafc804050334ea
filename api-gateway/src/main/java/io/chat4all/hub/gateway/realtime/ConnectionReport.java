package io.chat4all.hub.gateway.realtime;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Writes this instance's open stream count to {@code gateway_instances} every
 * {@code hub.gateway.stats.report-interval} (10 s), for {@code GET /v1/admin/stats}. The instance
 * is named {@code <host>:<pid>/<start time>}: unique per process, readable in the stats.
 */
@Component
class ConnectionReport {

    private static final Logger log = LoggerFactory.getLogger(ConnectionReport.class);

    private final LiveEvents live;
    private final JdbcTemplate jdbc;
    private final Instant started = Instant.now();
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + started.getEpochSecond();

    ConnectionReport(LiveEvents live, JdbcTemplate jdbc) {
        this.live = live;
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "${hub.gateway.stats.report-interval:10s}", initialDelay = 1_000)
    void report() {
        try {
            jdbc.update("INSERT INTO gateway_instances (instance_id, connections, started_at, reported_at) VALUES (?, ?, ?, now())"
                            + " ON CONFLICT (instance_id) DO UPDATE SET connections = EXCLUDED.connections, reported_at = now()",
                    instance, live.connections(), Timestamp.from(started));
            jdbc.update("DELETE FROM gateway_instances WHERE reported_at < now() - interval '1 day'");
        } catch (DataAccessException e) {
            log.debug("cannot report open connections (PostgreSQL unreachable?): {}", e.getMessage());
        }
    }
}

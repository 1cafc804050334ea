package io.chat4all.hub.indexer.cdc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the replication slot's state from PostgreSQL on a schedule: whether a reader holds it and
 * how much WAL it keeps (the distance from the current WAL position to what the engine confirmed).
 * A slot that stops advancing keeps WAL forever and fills the disk: this is what alerts on it.
 */
public final class SlotMonitor {

    private static final Logger log = LoggerFactory.getLogger(SlotMonitor.class);

    /** The slot as last read; {@code exists=false} before the engine first created it. */
    public record Slot(boolean exists, boolean active, long lagBytes, String walStatus) {
        static final Slot UNKNOWN = new Slot(false, false, -1, "unknown");
    }

    private final JdbcTemplate jdbc;
    private final String slotName;
    private volatile Slot slot = Slot.UNKNOWN;
    private volatile String error;

    public SlotMonitor(JdbcTemplate jdbc, String slotName, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.slotName = slotName;
        Gauge.builder("hub.indexer.slot.lag", this, m -> Math.max(0, m.slot.lagBytes())).baseUnit("bytes")
                .description("WAL the replication slot still holds (current WAL position − confirmed position)")
                .tag("slot", slotName).register(meters);
        Gauge.builder("hub.indexer.slot.active", this, m -> m.slot.active() ? 1 : 0)
                .description("1 while a change-data-capture engine reads the replication slot").tag("slot", slotName)
                .register(meters);
    }

    /** Reads the slot now (called on the schedule). */
    public void refresh() {
        try {
            List<Map<String, Object>> rows = jdbc.queryForList("""
                    SELECT active, wal_status,
                           pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag_bytes
                    FROM pg_replication_slots WHERE slot_name = ?""", slotName);
            if (rows.isEmpty()) {
                slot = new Slot(false, false, -1, "missing");
            } else {
                Map<String, Object> row = rows.get(0);
                Number lag = (Number) row.get("lag_bytes");
                slot = new Slot(true, Boolean.TRUE.equals(row.get("active")), lag == null ? -1 : lag.longValue(),
                        String.valueOf(row.get("wal_status")));
            }
            error = null;
        } catch (RuntimeException e) {
            if (error == null) {
                log.warn("cannot read replication slot {}: {}", slotName, e.getMessage());
            }
            error = e.getMessage();
        }
    }

    public Slot slot() {
        return slot;
    }

    /** Why the slot could not be read last time; null when it could. */
    public String error() {
        return error;
    }

    public String slotName() {
        return slotName;
    }
}

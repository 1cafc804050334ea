package io.chat4all.hub.indexer.cdc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Gives the engine a working slot again after PostgreSQL invalidated its old one. A slot that
 * falls more than {@code max_slot_wal_keep_size} behind is marked {@code wal_status = lost}: the
 * WAL it needed is gone, and Debezium can never stream from it again ("Cannot obtain valid
 * replication slot"), so without this search would stop for good while every health check but
 * {@code cdc} said UP.
 *
 * <p>Run before each start of the engine: a lost slot that nobody holds is dropped and the engine's
 * stored offsets are cleared, so the engine creates a new slot and, with the default
 * {@code snapshot.mode=initial}, indexes {@code messages} again from a snapshot. Indexing is
 * idempotent (document id = message id, version = WAL position), so documents already indexed are
 * simply rewritten. What a snapshot cannot bring back: a row deleted while the slot was lost keeps
 * its document (docs/services/indexer.md says how to rebuild the index when that matters).
 */
public final class LostSlotRecovery {

    private static final Logger log = LoggerFactory.getLogger(LostSlotRecovery.class);
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final JdbcTemplate jdbc;
    private final String slotName;
    private final String offsetsTable;
    private final boolean enabled;
    private final Counter recoveries;

    public LostSlotRecovery(JdbcTemplate jdbc, String slotName, String offsetsTable, boolean enabled, MeterRegistry meters) {
        if (!TABLE.matcher(offsetsTable).matches()) {
            throw new IllegalArgumentException("offsets table '" + offsetsTable + "' is not a plain [schema.]table name");
        }
        this.jdbc = jdbc;
        this.slotName = slotName;
        this.offsetsTable = offsetsTable;
        this.enabled = enabled;
        this.recoveries = Counter.builder("hub.indexer.slot.recoveries")
                .description("Replication slots found lost (invalidated by PostgreSQL), dropped and re-snapshotted")
                .tag("slot", slotName).register(meters);
    }

    /** Drops the slot and clears the engine's offsets if PostgreSQL invalidated the slot: the next start snapshots. */
    public void recoverIfLost() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT active, active_pid, wal_status FROM pg_replication_slots WHERE slot_name = ?", slotName);
        if (rows.isEmpty() || !"lost".equals(rows.get(0).get("wal_status"))) {
            return;
        }
        if (!enabled) {
            log.error("replication slot {} is lost (PostgreSQL removed WAL it needed) and recovery is off"
                    + " (INDEXER_RECOVER_LOST_SLOT=false): search gets no new messages until the index is rebuilt"
                    + " (docs/services/indexer.md)", slotName);
            return;
        }
        if (Boolean.TRUE.equals(rows.get(0).get("active"))) {
            log.warn("replication slot {} is lost but process {} still holds it; waiting for it to let go", slotName,
                    rows.get(0).get("active_pid"));
            return;
        }
        log.error("replication slot {} is lost: it fell more than max_slot_wal_keep_size behind and PostgreSQL removed"
                + " WAL it needed, so changes since its last confirmed position were never captured. Dropping it,"
                + " clearing the offsets in {} and snapshotting the table again: search catches up when the snapshot"
                + " is through (rows deleted meanwhile stay searchable until the index is rebuilt)", slotName, offsetsTable);
        try {
            jdbc.queryForList("SELECT pg_drop_replication_slot(?)", slotName);
        } catch (DataAccessException e) {
            // another instance dropped or took it a moment ago: the next start sorts it out
            log.warn("could not drop replication slot {}: {}", slotName, e.getMostSpecificCause().getMessage());
            return;
        }
        if (jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, offsetsTable)) {
            int cleared = jdbc.update("DELETE FROM " + offsetsTable);
            log.info("cleared {} stored offset row(s) of the change-data-capture engine", cleared);
        }
        recoveries.increment();
    }
}

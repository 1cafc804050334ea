package io.chat4all.hub.indexer;

import io.chat4all.hub.indexer.cdc.CdcEngine;
import io.chat4all.hub.indexer.cdc.SlotMonitor;
import io.chat4all.hub.indexer.index.IndexingState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * The indexer's own health. Neither a lagging slot nor an unreachable Elasticsearch makes the
 * service DOWN — changes wait in the WAL and in Kafka and nothing is lost — but both say
 * DEGRADED, because search is going stale and someone should look.
 */
public final class IndexerHealth {

    /** Between UP and DOWN: working, but search is falling behind. */
    public static final Status DEGRADED = new Status("DEGRADED");

    private IndexerHealth() {
    }

    /** The change-data-capture side: the engine and its replication slot. */
    public static HealthIndicator cdc(CdcEngine engine, SlotMonitor monitor, DataSize lagDegraded) {
        return () -> {
            SlotMonitor.Slot slot = monitor.slot();
            Health.Builder health = Health.up();
            if (engine != null) {
                health.withDetail("engine", engine.state().name().toLowerCase(java.util.Locale.ROOT));
                if (engine.state() == CdcEngine.State.RESTARTING) {
                    health.status(DEGRADED).withDetail("engine_error", String.valueOf(engine.lastError()))
                            .withDetail("engine_failed_at", String.valueOf(engine.lastErrorAt()));
                }
            } else {
                health.withDetail("engine", "disabled in this instance");
            }
            health.withDetail("slot", monitor.slotName()).withDetail("slot_exists", slot.exists())
                    .withDetail("slot_active", slot.active()).withDetail("slot_lag_bytes", slot.lagBytes())
                    .withDetail("wal_status", slot.walStatus());
            if (monitor.error() != null) {
                health.status(DEGRADED).withDetail("slot_error", monitor.error());
            } else if ("lost".equals(slot.walStatus())) {
                // before the lag check: a lost slot's lag is huge too, but this is not something that catches up
                health.down().withDetail("reason", "the slot lost WAL it needed: the engine drops it and snapshots"
                        + " again when it starts (INDEXER_RECOVER_LOST_SLOT), see docs/services/indexer.md");
            } else if (slot.lagBytes() > lagDegraded.toBytes()) {
                health.status(DEGRADED).withDetail("reason", "the slot holds more than " + lagDegraded + " of WAL");
            }
            return health.build();
        };
    }

    /** The Elasticsearch side: is the last batch through, and how far behind is search. */
    public static HealthIndicator indexing(IndexingState state) {
        return () -> {
            Health.Builder health = state.failure() == null ? Health.up()
                    : Health.status(DEGRADED).withDetail("error", state.failure())
                            .withDetail("failing_since", String.valueOf(state.failingSince()));
            return health.withDetail("lag_seconds", state.lagSeconds())
                    .withDetail("documents", state.documents())
                    .withDetail("last_indexed_at", String.valueOf(state.lastIndexedAt()))
                    .build();
        };
    }
}

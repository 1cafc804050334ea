package io.chat4all.hub.indexer.index;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How far indexing is behind, for metrics and health: while a batch is in flight or being retried,
 * the lag is the age of its oldest change; once it is indexed, the delay its newest change had.
 */
public final class IndexingState {

    private final Clock clock;
    private volatile Instant pendingSince;
    private volatile Duration lastDelay = Duration.ZERO;
    private volatile String failure;
    private volatile Instant failingSince;
    private volatile Instant lastIndexedAt;
    private volatile long documents;

    public IndexingState(Clock clock) {
        this.clock = clock;
    }

    synchronized void batchStarted(Instant oldestCommit) {
        if (pendingSince == null || oldestCommit.isBefore(pendingSince)) {
            pendingSince = oldestCommit;
        }
    }

    synchronized void batchFailed(String reason) {
        failure = reason;
        if (failingSince == null) {
            failingSince = clock.instant();
        }
    }

    synchronized void batchIndexed(Instant newestCommit, int count) {
        Instant now = clock.instant();
        lastDelay = Duration.between(newestCommit, now);
        pendingSince = null;
        failure = null;
        failingSince = null;
        lastIndexedAt = now;
        documents += count;
    }

    /** Seconds indexing is behind PostgreSQL. */
    public double lagSeconds() {
        Instant pending = pendingSince;
        Duration lag = pending != null ? Duration.between(pending, clock.instant()) : lastDelay;
        return Math.max(0, lag.toMillis() / 1000.0);
    }

    /** Why the last batch failed, while it has not gone through yet; null when indexing works. */
    public String failure() {
        return failure;
    }

    public Instant failingSince() {
        return failingSince;
    }

    public Instant lastIndexedAt() {
        return lastIndexedAt;
    }

    public long documents() {
        return documents;
    }
}

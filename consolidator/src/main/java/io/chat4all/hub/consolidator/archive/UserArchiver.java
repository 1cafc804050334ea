package io.chat4all.hub.consolidator.archive;

import io.chat4all.hub.archive.ArchiveFile;
import io.chat4all.hub.archive.ArchiveRow;
import io.chat4all.hub.archive.ParquetArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives one user's due history, batch by batch, in the order that makes a crash at any point
 * harmless: write the Parquet file → upload it → read it back and verify it → record it in the
 * manifest and delete its hot rows in one transaction. Until that transaction commits, the rows
 * stay hot and a rerun writes the same object key again; after it, they exist only in the object.
 */
public final class UserArchiver {

    private static final Logger log = LoggerFactory.getLogger(UserArchiver.class);

    /** What one user's archiving did so far (also when it fails half-way). */
    public static final class Progress {
        private final AtomicLong rows = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicInteger objects = new AtomicInteger();

        void add(ArchiveFile file) {
            rows.addAndGet(file.rows().size());
            bytes.addAndGet(file.bytes());
            objects.incrementAndGet();
        }

        public long rows() {
            return rows.get();
        }

        public long bytes() {
            return bytes.get();
        }

        public int objects() {
            return objects.get();
        }
    }

    /** Test hook: where to stop the process dead, to prove a crash there loses and duplicates nothing. */
    public enum CrashPoint { NONE, AFTER_UPLOAD }

    private final HotHistory hot;
    private final ParquetArchives parquet;
    private final ArchiveStore store;
    private final UserLocks locks;
    private final Duration lockWait;
    private final int maxRowsPerObject;
    private final CrashPoint crashPoint;
    private final Clock clock;

    public UserArchiver(HotHistory hot, ParquetArchives parquet, ArchiveStore store, UserLocks locks, Duration lockWait,
                        int maxRowsPerObject, CrashPoint crashPoint, Clock clock) {
        this.lockWait = lockWait;
        this.hot = hot;
        this.parquet = parquet;
        this.store = store;
        this.locks = locks;
        this.maxRowsPerObject = maxRowsPerObject;
        this.crashPoint = crashPoint;
        this.clock = clock;
    }

    public List<UUID> ownersWithHistoryBefore(Instant cutoff) {
        return hot.ownersBefore(cutoff);
    }

    /**
     * Archives {@code owner}'s rows accepted before {@code cutoff}; {@code progress} counts what is
     * done. When another run is archiving the same user, waits for it (up to the lock wait, while
     * {@code keepWaiting}), then archives whatever is still due.
     */
    public void archive(UUID owner, Instant cutoff, UUID jobId, Progress progress, BooleanSupplier keepWaiting) {
        UserLocks.Held held;
        try {
            held = locks.tryLock(owner);
            if (held == null) {
                log.info("user {} is being archived by another run; waiting up to {} for it to finish", owner, lockWait);
                held = locks.lock(owner, lockWait, keepWaiting);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another run archiving user " + owner, e);
        }
        if (held == null) {
            throw new IllegalStateException("user " + owner + " is being archived by another run, still after " + lockWait);
        }
        try (UserLocks.Held lock = held) {
            while (true) {
                List<ArchiveRow> batch = hot.nextBatch(owner, cutoff, maxRowsPerObject);
                if (batch.isEmpty()) {
                    return;
                }
                String key = ArchiveFile.objectKey(batch.get(0));
                ArchiveFile file = parquet.write(batch);
                try {
                    store.upload(key, file);
                    store.verify(key, file);
                    if (crashPoint == CrashPoint.AFTER_UPLOAD) {
                        log.error("test hook: halting after uploading {} and before recording it", key);
                        Runtime.getRuntime().halt(137);
                    }
                    hot.commit(jobId, file, key, clock.instant());
                } finally {
                    deleteQuietly(file);
                }
                progress.add(file);
                log.info("archived {} rows of user {} to {} ({} bytes, {} conversations)", file.rows().size(), owner, key,
                        file.bytes(), file.ranges().size());
            }
        }
    }

    private static void deleteQuietly(ArchiveFile file) {
        try {
            Files.deleteIfExists(file.path());
        } catch (IOException e) {
            log.warn("could not delete the local file {}: {}", file.path(), e.getMessage());
        }
    }
}

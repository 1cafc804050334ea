package io.chat4all.hub.storage.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How records are batched into PostgreSQL.
 *
 * @param batchSize records written per JDBC batch
 * @param concurrency listener threads per instance
 * @param copyMinRows batches from this many rows on are written by binary COPY through a staging
 *                    table, smaller ones by one multi-row INSERT
 * @param copyFetchWait how long a fetch of participant copies may wait for {@code copyFetchMinBytes}
 * @param copyFetchMinBytes how much a fetch of participant copies waits for, at most {@code copyFetchWait}
 */
@ConfigurationProperties("hub.storage-writer")
public record StorageWriterProperties(
        int batchSize,
        int concurrency,
        int copyMinRows,
        Duration copyFetchWait,
        int copyFetchMinBytes) {

    public StorageWriterProperties {
        batchSize = batchSize <= 0 ? 500 : batchSize;
        concurrency = concurrency <= 0 ? 2 : concurrency;
        copyMinRows = copyMinRows <= 0 ? 200 : copyMinRows;
        copyFetchWait = copyFetchWait == null || copyFetchWait.isNegative() ? Duration.ofMillis(20) : copyFetchWait;
        copyFetchMinBytes = copyFetchMinBytes <= 0 ? 64 * 1024 : copyFetchMinBytes;
    }
}

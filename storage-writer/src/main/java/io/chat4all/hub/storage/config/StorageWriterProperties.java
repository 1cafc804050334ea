package io.chat4all.hub.storage.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How records are batched into PostgreSQL.
 *
 * @param batchSize records written per JDBC batch
 * @param concurrency listener threads per instance
 * @param copyMinRows batches from this many rows on are written by binary COPY through a staging
 *                    table, smaller ones by one multi-row INSERT
 */
@ConfigurationProperties("hub.storage-writer")
public record StorageWriterProperties(
        int batchSize,
        int concurrency,
        int copyMinRows) {

    public StorageWriterProperties {
        batchSize = batchSize <= 0 ? 500 : batchSize;
        concurrency = concurrency <= 0 ? 2 : concurrency;
        copyMinRows = copyMinRows <= 0 ? 200 : copyMinRows;
    }
}

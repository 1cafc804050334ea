package io.chat4all.hub.storage.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How records are batched into PostgreSQL.
 *
 * @param batchSize records written per JDBC batch
 * @param concurrency listener threads per instance
 */
@ConfigurationProperties("hub.storage-writer")
public record StorageWriterProperties(
        int batchSize,
        int concurrency) {

    public StorageWriterProperties {
        batchSize = batchSize <= 0 ? 500 : batchSize;
        concurrency = concurrency <= 0 ? 2 : concurrency;
    }
}

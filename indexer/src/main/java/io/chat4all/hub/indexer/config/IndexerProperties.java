package io.chat4all.hub.indexer.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where and how messages are indexed.
 *
 * @param indexAlias alias in front of the monthly message indices
 * @param slotName PostgreSQL replication slot of the CDC engine
 */
@ConfigurationProperties("hub.indexer")
public record IndexerProperties(
        String indexAlias,
        String slotName) {
}

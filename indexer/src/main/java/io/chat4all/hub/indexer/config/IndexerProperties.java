package io.chat4all.hub.indexer.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where and how messages are indexed.
 *
 * @param indexAlias alias in front of the monthly message indices ({@code <alias>-yyyy.MM})
 * @param cdc the change-data-capture engine
 * @param indexing the consumer that writes Elasticsearch
 */
@ConfigurationProperties("hub.indexer")
public record IndexerProperties(
        @DefaultValue("messages") String indexAlias,
        @DefaultValue Cdc cdc,
        @DefaultValue Indexing indexing) {

    /**
     * The Debezium engine on PostgreSQL's WAL.
     *
     * @param enabled run the engine in this instance (only one instance at a time can hold the slot;
     *                others retry and take over when it is free)
     * @param slotName the logical replication slot
     * @param publication the publication naming the tables search needs (created by the schema migration)
     * @param table the captured table, schema-qualified
     * @param offsetsTable where the engine's offsets are kept, in the same database
     * @param snapshotMode Debezium {@code snapshot.mode}: {@code initial} indexes what exists at first start
     * @param pollInterval how often the engine hands changes over (most of the commit → CDC topic latency)
     * @param offsetFlushInterval how often offsets are stored (and the slot's confirmed position moves)
     * @param heartbeatInterval keeps the slot moving while the captured table is quiet
     * @param restartBackoff pause before the engine is restarted after it failed
     * @param slotLagDegraded slot lag (WAL the slot still holds) above which health says DEGRADED
     * @param slotCheckInterval how often the slot's lag is read
     * @param recoverLostSlot drop a slot PostgreSQL invalidated ({@code wal_status = lost}), clear the
     *                        offsets and snapshot again before the engine starts
     */
    public record Cdc(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("chat4all_indexer") String slotName,
            @DefaultValue("chat4all_search") String publication,
            @DefaultValue("public.messages") String table,
            @DefaultValue("cdc_offsets") String offsetsTable,
            @DefaultValue("initial") String snapshotMode,
            @DefaultValue("25ms") Duration pollInterval,
            @DefaultValue("1s") Duration offsetFlushInterval,
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("5s") Duration restartBackoff,
            @DefaultValue("256MB") DataSize slotLagDegraded,
            @DefaultValue("10s") Duration slotCheckInterval,
            @DefaultValue("true") boolean recoverLostSlot) {
    }

    /**
     * The consumer of the CDC topic that bulk-indexes Elasticsearch.
     *
     * @param enabled run the consumer in this instance
     * @param concurrency listener threads (up to the topic's partition count)
     * @param batchSize records per poll, indexed as one unit before their offsets are committed
     * @param bulkMaxOperations operations per bulk request
     * @param bulkFlushInterval a partial bulk request is sent after this long
     * @param bulkConcurrentRequests bulk requests in flight at once
     * @param batchTimeout longest wait for Elasticsearch to answer a batch before it is retried
     * @param shards primary shards of each monthly index
     * @param replicas replicas of each monthly index (0 on a single node)
     * @param refreshInterval how soon an indexed message becomes searchable
     * @param textFilters token filters of the text analyzer after the standard tokenizer
     *                    ({@code lowercase}; add {@code asciifolding} on a full Elasticsearch)
     */
    public record Indexing(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("2") int concurrency,
            @DefaultValue("500") int batchSize,
            @DefaultValue("1000") int bulkMaxOperations,
            @DefaultValue("100ms") Duration bulkFlushInterval,
            @DefaultValue("2") int bulkConcurrentRequests,
            @DefaultValue("30s") Duration batchTimeout,
            @DefaultValue("1") int shards,
            @DefaultValue("0") int replicas,
            @DefaultValue("1s") Duration refreshInterval,
            @DefaultValue("lowercase") List<String> textFilters) {
    }
}

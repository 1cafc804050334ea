package io.chat4all.hub.indexer.index;

import io.chat4all.hub.autoconfigure.Fault;
import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import io.chat4all.hub.indexer.config.IndexerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes one batch of CDC records into Elasticsearch through a shared {@link BulkIngester} and
 * returns only when every operation of the batch has an answer, so the listener container commits
 * the batch's offsets only after Elasticsearch has it.
 *
 * <p>Every write is idempotent: the document id is the message id and its external version is the
 * change's WAL position, so a replayed change (after a restart, or a retried batch) answers
 * "version conflict" and changes nothing, and a delete can never be undone by a late upsert.
 * Elasticsearch unreachable, overloaded (429) or failing (5xx) → {@link IndexingUnavailableException}:
 * the container retries the whole batch with backoff until it goes through. A record that can
 * never be indexed (unreadable, or refused by the mapping) goes to the dead-letter topic.
 */
public final class MessageIndexer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MessageIndexer.class);

    private final ChangeParser parser;
    private final SearchIndex index;
    private final BulkIngester<Item> ingester;
    private final ElasticsearchAsyncClient client;
    private final BiConsumer<ConsumerRecord<?, ?>, Exception> deadLetters;
    private final Duration batchTimeout;
    private final IndexingState state;
    private final Timer freshness;
    private final Timer commitToIndexed;
    private final Counter indexed;
    private final Counter deleted;
    private final Counter repeated;
    private final Counter rejected;

    public MessageIndexer(ChangeParser parser, SearchIndex index, ElasticsearchAsyncClient client,
                          IndexerProperties.Indexing settings, BiConsumer<ConsumerRecord<?, ?>, Exception> deadLetters,
                          IndexingState state, MeterRegistry meters) {
        this.parser = parser;
        this.client = client;
        this.index = index;
        this.deadLetters = deadLetters;
        this.batchTimeout = settings.batchTimeout();
        this.state = state;
        this.ingester = BulkIngester.of(b -> b.client(client)
                .maxOperations(settings.bulkMaxOperations())
                .maxConcurrentRequests(settings.bulkConcurrentRequests())
                .flushInterval(settings.bulkFlushInterval().toMillis(), TimeUnit.MILLISECONDS)
                .listener(new Answers()));
        this.freshness = Timer.builder("hub.search.freshness")
                .description("Accepted by the gateway → indexed in Elasticsearch (searchable at the next index refresh)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
        this.commitToIndexed = Timer.builder("hub.indexer.commit.to.indexed")
                .description("Committed in PostgreSQL → indexed in Elasticsearch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
        this.indexed = counter(meters, "indexed");
        this.deleted = counter(meters, "deleted");
        this.repeated = counter(meters, "repeated");
        this.rejected = counter(meters, "rejected");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("hub.indexer.documents").tag("outcome", outcome)
                .description("Search document writes by outcome (repeated = a replayed change Elasticsearch already had)")
                .register(meters);
    }

    /** Indexes the batch; returns when all of it is in Elasticsearch (or dead-lettered). */
    public void index(List<ConsumerRecord<String, String>> records) {
        List<Item> items = new ArrayList<>(records.size());
        List<Item> unreadable = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                items.add(new Item(record, parser.parse(record.value())));
            } catch (ChangeParser.UnreadableChangeException e) {
                Item item = new Item(record, null);
                item.reason = e.getMessage();
                unreadable.add(item);
            }
        }
        if (!items.isEmpty()) {
            indexAll(items);
        }
        // Dead letters only once the batch went through: a retried batch does not send them twice.
        for (Item item : unreadable) {
            rejected.increment();
            deadLetters.accept(item.record, new ChangeParser.UnreadableChangeException(item.reason));
        }
    }

    private void indexAll(List<Item> items) {
        state.batchStarted(items.stream().map(i -> i.change.committedAt()).min(Instant::compareTo).orElseThrow());
        try {
            index.ensure(items.stream().map(i -> i.change.index()).collect(Collectors.toSet()));
            for (Item item : items) {
                ingester.add(operation(item.change), item);
            }
            ingester.flush();
            awaitAll(items);
        } catch (IndexingUnavailableException e) {
            failed(items, e);
            throw e;
        } catch (IOException | RuntimeException e) {
            IndexingUnavailableException failure = new IndexingUnavailableException(
                    "Elasticsearch did not take the batch: " + e.getMessage(), e);
            failed(items, failure);
            throw failure;
        }
        Instant now = Instant.now();
        for (Item item : items) {
            Outcome outcome = item.answer.join();
            switch (outcome) {
                case INDEXED -> {
                    indexed.increment();
                    commitToIndexed.record(Duration.between(item.change.committedAt(), now));
                    if (item.change.live()) {
                        freshness.record(Duration.between(item.change.acceptedAt(), now));
                    }
                }
                case DELETED -> deleted.increment();
                case REPEATED -> repeated.increment();
                case REJECTED -> {
                    rejected.increment();
                    deadLetters.accept(item.record, new RejectedChangeException(item.reason));
                }
            }
        }
        state.batchIndexed(items.stream().map(i -> i.change.committedAt()).max(Instant::compareTo).orElseThrow(), items.size());
    }

    private void failed(List<Item> items, IndexingUnavailableException e) {
        state.batchFailed(e.getMessage());
        log.warn("a batch of {} changes could not be indexed ({}); it is retried with backoff, search is {} s behind",
                items.size(), e.getMessage(), Math.round(state.lagSeconds()));
    }

    private void awaitAll(List<Item> items) {
        long deadline = System.nanoTime() + batchTimeout.toNanos();
        for (Item item : items) {
            try {
                item.answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IndexingUnavailableException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IndexingUnavailableException("no answer from Elasticsearch within " + batchTimeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IndexingUnavailableException("interrupted while waiting for Elasticsearch", e);
            }
        }
    }

    private static BulkOperation operation(MessageChange change) {
        if (change.kind() == MessageChange.Kind.DELETE) {
            return BulkOperation.of(o -> o.delete(d -> d.index(change.index()).id(change.messageId())
                    .version(change.lsn()).versionType(VersionType.External)));
        }
        return BulkOperation.of(o -> o.index(i -> i.index(change.index()).id(change.messageId())
                .version(change.lsn()).versionType(VersionType.External).document(change.document())));
    }

    @Override
    public void close() {
        ingester.close();
        try {
            client._transport().close();
        } catch (IOException e) {
            log.debug("closing the bulk transport: {}", e.getMessage());
        }
    }

    enum Outcome { INDEXED, DELETED, REPEATED, REJECTED }

    /** A record of the batch and the answer its bulk operation got. */
    static final class Item {
        final ConsumerRecord<String, String> record;
        final MessageChange change;
        final CompletableFuture<Outcome> answer = new CompletableFuture<>();
        volatile String reason;

        Item(ConsumerRecord<String, String> record, MessageChange change) {
            this.record = record;
            this.change = change;
        }
    }

    /** Turns each bulk answer into the outcome of its items. */
    private static final class Answers implements BulkListener<Item> {

        @Override
        public void beforeBulk(long executionId, BulkRequest request, List<Item> contexts) {
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Item> contexts, BulkResponse response) {
            List<BulkResponseItem> results = response.items();
            for (int i = 0; i < contexts.size(); i++) {
                Item item = contexts.get(i);
                if (i >= results.size()) {
                    item.answer.completeExceptionally(new IndexingUnavailableException("bulk answer is missing an item"));
                    continue;
                }
                BulkResponseItem result = results.get(i);
                int status = result.status();
                if (status >= 200 && status < 300) {
                    item.answer.complete(item.change.kind() == MessageChange.Kind.DELETE ? Outcome.DELETED : Outcome.INDEXED);
                } else if (status == 409 || (status == 404 && item.change.kind() == MessageChange.Kind.DELETE)) {
                    item.answer.complete(Outcome.REPEATED);
                } else if (status == 429 || status >= 500) {
                    item.answer.completeExceptionally(new IndexingUnavailableException("Elasticsearch answered " + status
                            + " for " + item.change.messageId() + ": " + reason(result)));
                } else {
                    item.reason = "Elasticsearch refused " + item.change.messageId() + " (" + status + "): " + reason(result);
                    log.error(item.reason);
                    item.answer.complete(Outcome.REJECTED);
                }
            }
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Item> contexts, Throwable failure) {
            IndexingUnavailableException error = new IndexingUnavailableException(
                    "bulk request failed: " + failure.getMessage(), failure);
            contexts.forEach(item -> item.answer.completeExceptionally(error));
        }

        private static String reason(BulkResponseItem result) {
            return result.error() == null ? "no reason given" : result.error().type() + ": " + result.error().reason();
        }
    }

    /** Elasticsearch cannot take the batch now; retrying later will work. */
    /** Elasticsearch refused the document itself (mapping, size): it never will take it. */
    static final class RejectedChangeException extends RuntimeException implements Fault.Permanent {
        RejectedChangeException(String reason) {
            super(reason);
        }
    }

    /** Elasticsearch did not take a batch: an outage, waited out (never dead-lettered). */
    public static final class IndexingUnavailableException extends RuntimeException implements Fault.Outage {
        public IndexingUnavailableException(String message) {
            super(message);
        }

        public IndexingUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

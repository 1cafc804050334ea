package io.chat4all.hub.indexer;

import io.chat4all.hub.indexer.index.MessageIndexer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Feeds the CDC topic to the indexer, one poll at a time. A batch that fails names its first record
 * to the service's ConsumerErrors: Elasticsearch away is waited out, anything else is retried a
 * bounded number of times and then dead-lettered (a plain exception from a batch listener would
 * make Spring retry, then dead-letter, the whole batch).
 */
@Component
@ConditionalOnBooleanProperty(name = "hub.indexer.indexing.enabled", matchIfMissing = true)
class CdcListener {

    private final MessageIndexer indexer;

    CdcListener(MessageIndexer indexer) {
        this.indexer = indexer;
    }

    @KafkaListener(id = "indexer", idIsGroup = false, topics = "cdc.messages", containerFactory = "cdcListenerFactory")
    void onChanges(List<ConsumerRecord<String, String>> records) {
        try {
            indexer.index(records);
        } catch (RuntimeException e) {
            throw new BatchListenerFailedException("indexing the batch from " + records.get(0).topic() + "-"
                    + records.get(0).partition() + "@" + records.get(0).offset() + " failed", e, records.get(0));
        }
    }
}

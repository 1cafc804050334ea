package io.chat4all.hub.indexer;

import io.chat4all.hub.indexer.index.MessageIndexer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds the CDC topic to the indexer, one poll at a time. */
@Component
@ConditionalOnBooleanProperty(name = "hub.indexer.indexing.enabled", matchIfMissing = true)
class CdcListener {

    private final MessageIndexer indexer;

    CdcListener(MessageIndexer indexer) {
        this.indexer = indexer;
    }

    @KafkaListener(id = "indexer", idIsGroup = false, topics = "cdc.messages", containerFactory = "cdcListenerFactory")
    void onChanges(List<ConsumerRecord<String, String>> records) {
        indexer.index(records);
    }
}

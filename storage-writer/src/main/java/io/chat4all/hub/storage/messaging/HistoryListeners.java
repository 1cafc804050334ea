package io.chat4all.hub.storage.messaging;

import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.storage.persistence.HistoryStore;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Thin listeners: a polled batch of one topic goes to its store method in one transaction. */
@Component
class HistoryListeners {

    private final BatchWriter writer;
    private final HistoryStore store;

    HistoryListeners(BatchWriter writer, HistoryStore store) {
        this.writer = writer;
        this.store = store;
    }

    @KafkaListener(id = "storage-routed", topics = "#{T(io.chat4all.hub.contracts.kafka.Topics).MESSAGES_ROUTED.name()}",
            containerFactory = "routedListenerFactory")
    void onRouted(List<ConsumerRecord<UUID, MessageRouted>> records) {
        writer.write(records, store::saveRouted);
    }

    @KafkaListener(id = "storage-participant",
            topics = "#{T(io.chat4all.hub.contracts.kafka.Topics).PARTICIPANT_MESSAGES.name()}",
            containerFactory = "participantListenerFactory")
    void onParticipantCopies(List<ConsumerRecord<UUID, ParticipantMessage>> records) {
        writer.writeRecords(records, store::saveCopies);
    }

    /** The hub's own steps and every channel adapter's statuses: one table, moved only forward. */
    @KafkaListener(id = "storage-status", topics = {
            "#{T(io.chat4all.hub.contracts.kafka.Topics).MESSAGE_STATUS.name()}",
            "#{T(io.chat4all.hub.contracts.kafka.Topics).WHATSAPP_STATUS.name()}",
            "#{T(io.chat4all.hub.contracts.kafka.Topics).INSTAGRAM_STATUS.name()}"},
            containerFactory = "statusListenerFactory")
    void onStatuses(List<ConsumerRecord<UUID, DeliveryStatusChanged>> records) {
        writer.write(records, store::saveStatuses);
    }
}

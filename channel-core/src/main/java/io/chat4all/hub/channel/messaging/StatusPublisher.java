package io.chat4all.hub.channel.messaging;

import io.chat4all.hub.channel.persistence.LedgerEntry;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged.DeliveryError;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a delivery's steps to the adapter's status topic and waits for the broker's ack. The
 * event id is derived from (delivery, status), so publishing a step twice (a redelivered record, a
 * webhook Meta sent again) is one transition downstream: the audit trail keys on it.
 */
public class StatusPublisher {

    private final KafkaTemplate<UUID, DeliveryStatusChanged> kafka;
    private final TopicSpec<UUID, DeliveryStatusChanged> topic;
    private final Clock clock;

    public StatusPublisher(KafkaTemplate<UUID, DeliveryStatusChanged> kafka, TopicSpec<UUID, DeliveryStatusChanged> topic,
                           Clock clock) {
        this.kafka = kafka;
        this.topic = topic;
        this.clock = clock;
    }

    public void publish(ChannelOutbound delivery, DeliveryStatus status, String providerMessageId, DeliveryError error) {
        publish(delivery.deliveryId(), delivery.msgId(), delivery.messageId(), delivery.conversationId(),
                delivery.recipientId(), delivery.channel(), status, providerMessageId, error);
    }

    public void publish(LedgerEntry delivery, DeliveryStatus status, String providerMessageId, DeliveryError error) {
        publish(delivery.deliveryId(), delivery.msgId(), delivery.messageId(), delivery.conversationId(),
                delivery.recipientId(), delivery.channel(), status, providerMessageId, error);
    }

    private void publish(UUID deliveryId, long msgId, UUID messageId, UUID conversationId, UUID recipientId,
                         Channel channel, DeliveryStatus status, String providerMessageId,
                         DeliveryError error) {
        UUID eventId = UUID.nameUUIDFromBytes(("status:" + deliveryId + ":" + status.wireName())
                .getBytes(StandardCharsets.UTF_8));
        DeliveryStatusChanged event = new DeliveryStatusChanged(eventId, Instant.now(clock), msgId, messageId,
                conversationId, recipientId, channel, status, providerMessageId, error);
        try {
            kafka.send(topic.name(), conversationId, event).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a status", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not take status " + status.wireName() + " of delivery "
                    + deliveryId + " to " + topic.name(), e);
        }
    }
}

package io.chat4all.hub.channel.messaging;

import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a customer's inbound message and waits for the broker's ack: the webhook answers 200
 * only after that, so the provider retries anything the hub did not take.
 */
public class InboundPublisher {

    private final KafkaTemplate<String, InboundChannelMessage> kafka;
    private final TopicSpec<String, InboundChannelMessage> topic;

    public InboundPublisher(KafkaTemplate<String, InboundChannelMessage> kafka, TopicSpec<String, InboundChannelMessage> topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    public void publish(InboundChannelMessage message) {
        try {
            kafka.send(topic.name(), message.fromAddress(), message).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing an inbound message", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not take inbound message " + message.providerMessageId(), e);
        }
    }
}

package io.chat4all.hub.channel.messaging;

import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import java.util.UUID;
import org.springframework.kafka.annotation.KafkaListener;

/** Thin: one outbound record at a time to {@link OutboundDelivery}. */
public class OutboundListener {

    private final OutboundDelivery delivery;
    private final TopicSpec<UUID, ChannelOutbound> topic;

    public OutboundListener(OutboundDelivery delivery, TopicSpec<UUID, ChannelOutbound> topic) {
        this.delivery = delivery;
        this.topic = topic;
    }

    public String topic() {
        return topic.name();
    }

    /** The consumer group: {@code <topic>-sender}, shared by every instance of the adapter. */
    public String group() {
        return topic.name() + "-sender";
    }

    @KafkaListener(id = "#{__listener.group()}", topics = "#{__listener.topic()}",
            containerFactory = "outboundListenerFactory")
    void onOutbound(ChannelOutbound record) {
        delivery.deliver(record);
    }
}

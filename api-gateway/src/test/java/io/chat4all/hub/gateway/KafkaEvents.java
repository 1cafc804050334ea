package io.chat4all.hub.gateway;

import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.junit.TopicEvents;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** Reads a topic of the real broker from the start until the wanted events arrived. */
final class KafkaEvents {

    private KafkaEvents() {
    }

    static <V> List<V> await(TestStack stack, TopicSpec<UUID, V> topic, Predicate<V> wanted, int count) {
        try (TopicEvents<V> events = TopicEvents.of(stack, topic.name(), topic.valueSerde().deserializer(), wanted)) {
            return events.await(count);
        }
    }
}

package io.chat4all.hub.gateway;

import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.localstack.junit.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads a topic of the real broker from the start until the wanted events arrived. */
final class KafkaEvents {

    private KafkaEvents() {
    }

    static <V> List<V> await(TestStack stack, TopicSpec<UUID, V> topic, Predicate<V> wanted, int count) {
        try (KafkaConsumer<UUID, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestStack.uniqueName("gateway-test"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<V> found = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (wanted.test(r.value())) {
                        found.add(r.value());
                    }
                });
                return found.size() >= count;
            });
            return found;
        }
    }
}

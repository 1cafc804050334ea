package io.chat4all.hub.autoconfigure;

import io.chat4all.hub.contracts.kafka.EventJson;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Where a listener's failed records go: {@code <topic>-dlt}, keeping the original bytes of an
 * unreadable record and writing anything else as event JSON, with Spring Kafka's exception headers.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** A recoverer for {@code DefaultErrorHandler}, with its own producer built from {@code producerProperties}. */
    public static DeadLetterPublishingRecoverer recoverer(Map<String, Object> producerProperties) {
        KafkaTemplate<Object, Object> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producerProperties,
                new KeySerializer(), new ValueSerializer()));
        return new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + TopicSpec.DEAD_LETTER_SUFFIX, -1));
    }

    /** The dead-letter topic of {@code topic}, for declaring it. */
    public static TopicSpec<UUID, byte[]> of(TopicSpec<?, ?> topic) {
        return new TopicSpec<>(topic.deadLetterTopic(), Serdes.UUID(), Serdes.ByteArray());
    }

    /** Keys as their topic wrote them: UUIDs (most topics), strings (channel addresses), or raw bytes. */
    static final class KeySerializer implements Serializer<Object> {

        private final Serializer<UUID> uuids = Serdes.UUID().serializer();

        @Override
        public byte[] serialize(String topic, Object key) {
            if (key == null || key instanceof byte[]) {
                return (byte[]) key;
            }
            if (key instanceof UUID uuid) {
                return uuids.serialize(topic, uuid);
            }
            return key.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Dead letters keep an unreadable record's original bytes; anything else is written as event JSON. */
    static final class ValueSerializer implements Serializer<Object> {

        @Override
        public byte[] serialize(String topic, Object value) {
            if (value == null || value instanceof byte[]) {
                return (byte[]) value;
            }
            return EventJson.mapper().writeValueAsBytes(value);
        }
    }
}

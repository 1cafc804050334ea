package io.chat4all.hub.router.messaging;

import io.chat4all.hub.contracts.kafka.TopicSpec;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * One record the router writes: the topic (with its serdes) and the value. A single sink picks
 * the topic and the serializer from it, so the processor never spells a topic name.
 */
record RouterOutput(TopicSpec<UUID, ?> topic, Object value) {

    /** Routes each output to its topic. */
    static final TopicNameExtractor<UUID, RouterOutput> TOPIC =
            (UUID key, RouterOutput output, RecordContext context) -> output.topic().name();

    /** Serializes the value with the serde of its topic. */
    static final class ValueSerializer implements Serializer<RouterOutput> {

        @Override
        public byte[] serialize(String topic, RouterOutput output) {
            return serialize(topic, null, output);
        }

        @Override
        @SuppressWarnings("unchecked")
        public byte[] serialize(String topic, Headers headers, RouterOutput output) {
            if (output == null) {
                return null;
            }
            Serializer<Object> serializer = (Serializer<Object>) output.topic().valueSerde().serializer();
            return serializer.serialize(topic, headers, output.value());
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // the serializers of the topics are fixed by the contract
        }
    }
}

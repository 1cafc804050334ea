package io.chat4all.hub.contracts.kafka;

import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the pipeline: its name and the serdes of its key and value, so no call site spells
 * a topic name or picks a serde by hand.
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    /** Where records this topic's consumers cannot process go ({@code <topic>-dlt}). */
    public String deadLetterTopic() {
        return name + DEAD_LETTER_SUFFIX;
    }
}

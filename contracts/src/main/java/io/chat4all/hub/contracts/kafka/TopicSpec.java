package io.chat4all.hub.contracts.kafka;

import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the pipeline: its name, the serdes of its key and value, so no call site spells
 * a topic name or picks a serde by hand, and whether it is compacted.
 *
 * @param compacted Kafka keeps the latest record of every key forever instead of deleting by age
 *                  ({@code cleanup.policy=compact}): for topics whose latest record per key is
 *                  state readers rebuild from (users, conversations), which must outlive any retention
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {

    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    /** A topic deleted by age (the broker's retention). */
    public TopicSpec(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        this(name, keySerde, valueSerde, false);
    }

    /** The same topic, compacted. */
    public TopicSpec<K, V> asCompacted() {
        return new TopicSpec<>(name, keySerde, valueSerde, true);
    }

    /** Where records this topic's consumers cannot process go ({@code <topic>-dlt}). */
    public String deadLetterTopic() {
        return name + DEAD_LETTER_SUFFIX;
    }
}

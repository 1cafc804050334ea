package io.chat4all.hub.router.domain;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The part of a conversation's state that changes with every message: the last {@code seq} handed
 * out and how many accepted messages wait for a membership version. Kept apart from the
 * membership (which changes rarely and can be large), in 16 bytes, so routing a message writes 16
 * bytes to the store and its changelog whatever the size of the group.
 */
public record Counters(long lastSeq, long pending) {

    public static final Counters NONE = new Counters(0, 0);

    public Counters withNextSeq() {
        return new Counters(lastSeq + 1, pending);
    }

    public Counters withPending(long delta) {
        return new Counters(lastSeq, Math.max(0, pending + delta));
    }

    /** Two big-endian longs. */
    public static Serde<Counters> serde() {
        Serializer<Counters> serializer = (topic, counters) -> counters == null ? null
                : ByteBuffer.allocate(16).putLong(counters.lastSeq()).putLong(counters.pending()).array();
        Deserializer<Counters> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != 16) {
                throw new SerializationException("counters are 16 bytes, not " + bytes.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new Counters(buffer.getLong(), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

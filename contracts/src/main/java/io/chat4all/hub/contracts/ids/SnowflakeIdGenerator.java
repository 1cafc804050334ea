package io.chat4all.hub.contracts.ids;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * 64-bit, time-ordered, unique ids: 41 bits of milliseconds since 2025-01-01T00:00Z, 10 bits of
 * node id, 12 bits of sequence.
 *
 * <p>An instance never hands out the same id twice, also when the wall clock steps back: the
 * last (millisecond, sequence) pair is kept and the next id is always greater than the last one.
 * While the clock is behind, or when 4,096 ids were taken in one millisecond, ids borrow the next
 * millisecond instead of waiting. Uniqueness across instances needs a distinct node id per running
 * instance; that is the deployment's job (see docs/architecture.md).
 */
public final class SnowflakeIdGenerator {

    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    public static final int NODE_BITS = 10;
    public static final int SEQUENCE_BITS = 12;
    public static final int MAX_NODE_ID = (1 << NODE_BITS) - 1;

    private static final int TIMESTAMP_BITS = 41;
    private static final long MAX_TIMESTAMP = (1L << TIMESTAMP_BITS) - 1;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

    private final long nodeId;
    private final LongSupplier clockMillis;
    /** The last id handed out, without its node bits: {@code timestamp << 12 | sequence}. */
    private final AtomicLong last = new AtomicLong(-1);

    public SnowflakeIdGenerator(int nodeId) {
        this(nodeId, System::currentTimeMillis);
    }

    public SnowflakeIdGenerator(int nodeId, LongSupplier clockMillis) {
        if (nodeId < 0 || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException("node id must be within 0.." + MAX_NODE_ID + ", was " + nodeId);
        }
        this.nodeId = nodeId;
        this.clockMillis = clockMillis;
    }

    public long nextId() {
        long now = clockMillis.getAsLong() - EPOCH.toEpochMilli();
        if (now < 0) {
            throw new IllegalStateException("the clock reads before the id epoch " + EPOCH);
        }
        while (true) {
            long previous = last.get();
            long candidate = Math.max(now << SEQUENCE_BITS, previous + 1);
            if ((candidate >>> SEQUENCE_BITS) > MAX_TIMESTAMP) {
                throw new IllegalStateException("id timestamp space exhausted");
            }
            if (last.compareAndSet(previous, candidate)) {
                long timestamp = candidate >>> SEQUENCE_BITS;
                return (timestamp << (NODE_BITS + SEQUENCE_BITS)) | (nodeId << SEQUENCE_BITS) | (candidate & SEQUENCE_MASK);
            }
        }
    }

    public int nodeId() {
        return (int) nodeId;
    }

    /** Splits an id into its parts (for logs and debugging). */
    public static Parts parse(long id) {
        long timestamp = id >>> (NODE_BITS + SEQUENCE_BITS);
        int node = (int) ((id >>> SEQUENCE_BITS) & MAX_NODE_ID);
        int sequence = (int) (id & SEQUENCE_MASK);
        return new Parts(EPOCH.plusMillis(timestamp), node, sequence);
    }

    /** The parts of an id. */
    public record Parts(Instant timestamp, int nodeId, int sequence) {
    }
}

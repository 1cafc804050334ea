package io.chat4all.hub.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * DEGRADED while one of the service's consumer groups has lag on a partition and has not committed
 * anything there for {@code hub.consumer.stall-after}: records wait and nothing moves (an engine
 * away for long, a bug), which a plain "the broker answers" check never shows. UP otherwise, with
 * the lag per group. It compares each check with the previous one, so a stall shows from the
 * second check after it began.
 */
public class ConsumerProgressHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

    public static final Status DEGRADED = new Status("DEGRADED");

    private final Admin admin;
    private final Supplier<Collection<String>> groups;
    private final Duration stallAfter;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Map<TopicPartition, Position>> previous = new ConcurrentHashMap<>();

    public ConsumerProgressHealthIndicator(Admin admin, Supplier<Collection<String>> groups, Duration stallAfter,
                                           Duration timeout, Clock clock) {
        super("consumer progress check failed");
        this.admin = admin;
        this.groups = groups;
        this.stallAfter = stallAfter;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Instant now = clock.instant();
        boolean stalled = false;
        Map<String, Object> details = new TreeMap<>();
        for (String group : groups.get()) {
            Map<TopicPartition, Position> positions = positions(group, now);
            long lag = 0;
            Map<String, Object> stalledPartitions = new TreeMap<>();
            for (Map.Entry<TopicPartition, Position> entry : positions.entrySet()) {
                Position position = entry.getValue();
                lag += position.lag();
                if (position.lag() > 0 && Duration.between(position.since(), now).compareTo(stallAfter) >= 0) {
                    stalledPartitions.put(entry.getKey().toString(), Map.of("lag", position.lag(),
                            "committed_offset", position.committed(),
                            "no_progress_for", Duration.between(position.since(), now).toSeconds() + "s"));
                }
            }
            previous.put(group, positions);
            Map<String, Object> groupDetails = new TreeMap<>();
            groupDetails.put("lag", lag);
            if (!stalledPartitions.isEmpty()) {
                stalled = true;
                groupDetails.put("stalled", stalledPartitions);
            }
            details.put(group, groupDetails);
        }
        builder.status(stalled ? DEGRADED : Status.UP).withDetails(details);
    }

    private Map<TopicPartition, Position> positions(String group, Instant now) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                latest.put(partition, OffsetSpec.latest());
            }
        });
        if (latest.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Position> before = previous.getOrDefault(group, Map.of());
        Map<TopicPartition, Position> positions = new HashMap<>();
        ends.forEach((partition, end) -> {
            long offset = committed.get(partition).offset();
            long lag = Math.max(0, end.offset() - offset);
            Position last = before.get(partition);
            Instant since = last != null && last.committed() == offset && last.lag() > 0 ? last.since() : now;
            positions.put(partition, new Position(offset, lag, since));
        });
        return positions;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }

    /** A partition's committed offset and lag, and since when that offset has not moved while lagging. */
    private record Position(long committed, long lag, Instant since) {
    }
}

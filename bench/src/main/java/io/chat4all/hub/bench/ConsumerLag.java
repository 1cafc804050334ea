package io.chat4all.hub.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far behind each stage of the pipeline is: per consumer group with members (the router's
 * Kafka Streams application, storage-writer's listeners, the indexer, the channel adapters) and
 * per topic, the records between the group's committed offsets and the partitions' ends
 * (read_committed), from Kafka's admin client: a few requests, cheap enough to take at the end of
 * every step. Groups without members (left over from earlier runs or tests) are left out; so are
 * consumers without a group (the gateways' live consumers, which read every partition themselves)
 * and Debezium's position in PostgreSQL's log.
 */
final class ConsumerLag implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;

    ConsumerLag(String bootstrap) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(config);
    }

    /** Group → topic → records not yet committed; {@code {"error": …}} when Kafka did not answer. */
    Map<String, Object> now() {
        try {
            Collection<GroupListing> listed = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, ListConsumerGroupOffsetsSpec> groups = listed.stream()
                    .filter(g -> g.groupState().map(s -> s != GroupState.EMPTY && s != GroupState.DEAD).orElse(true))
                    .collect(Collectors.toMap(GroupListing::groupId, g -> new ListConsumerGroupOffsetsSpec()));
            if (groups.isEmpty()) {
                return Map.of();
            }
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(groups).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            committed.values().forEach(offsets -> offsets.keySet().forEach(p -> partitions.put(p, OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> lag = new TreeMap<>();
            committed.forEach((group, offsets) -> {
                Map<String, Long> byTopic = new TreeMap<>();
                offsets.forEach((partition, offset) -> {
                    if (offset != null && ends.containsKey(partition)) {
                        byTopic.merge(partition.topic(), Math.max(0, ends.get(partition).offset() - offset.offset()), Long::sum);
                    }
                });
                lag.put(group, byTopic);
            });
            return lag;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Map.of("error", String.valueOf(e));
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

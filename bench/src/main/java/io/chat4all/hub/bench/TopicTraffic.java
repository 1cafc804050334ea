package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How many Kafka records the hub writes per accepted message, per topic: the end offsets of every
 * topic (the router's state-store changelogs and Debezium's topic included) are read at the start
 * and at the end of a measured part, and each topic's growth is divided by the messages accepted.
 * An offset is a record or a transaction marker (the router commits exactly-once transactions, and
 * every commit writes one marker into each partition it wrote to), so the figure is what the broker
 * appends, replicates and serves per message; records written after the measured part that belong
 * to it (a stage that lags) are not counted, so read it from a run where the hub keeps up.
 */
final class TopicTraffic implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private Map<String, Long> atStart = Map.of();

    private TopicTraffic(String bootstrap) {
        if (bootstrap == null) {
            this.admin = null;
            return;
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(config);
    }

    /** For the hub in {@code root/.hub/endpoints.json}; one that measures nothing when there is none. */
    static TopicTraffic of(Path root) {
        Path endpoints = root.resolve(".hub/endpoints.json");
        return new TopicTraffic(Files.isRegularFile(endpoints)
                ? Endpoints.read(endpoints).env().get("KAFKA_BOOTSTRAP_SERVERS") : null);
    }

    void start() {
        atStart = endOffsets();
    }

    /** Topic → offsets appended per accepted message since {@link #start}, and their {@code total}. */
    Map<String, Object> perMessage(long accepted) {
        Map<String, Object> figures = new TreeMap<>();
        if (accepted <= 0 || atStart.isEmpty()) {
            return figures;
        }
        Map<String, Long> now = endOffsets();
        double total = 0;
        for (Map.Entry<String, Long> topic : now.entrySet()) {
            long grown = topic.getValue() - atStart.getOrDefault(topic.getKey(), 0L);
            if (grown > 0) {
                double per = grown / (double) accepted;
                total += per;
                figures.put(topic.getKey(), Math.round(per * 100) / 100.0);
            }
        }
        figures.put("total", Math.round(total * 100) / 100.0);
        return figures;
    }

    /** Every topic's end offsets summed over its partitions; empty when Kafka does not answer. */
    private Map<String, Long> endOffsets() {
        if (admin == null) {
            return Map.of();
        }
        try {
            Set<String> names = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> partitions = topics.values().stream()
                    .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Long> byTopic = new TreeMap<>();
            ends.forEach((partition, end) -> byTopic.merge(partition.topic(), end.offset(), Long::sum));
            return byTopic;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Map.of();
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}

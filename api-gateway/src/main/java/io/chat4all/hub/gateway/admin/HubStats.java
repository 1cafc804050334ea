package io.chat4all.hub.gateway.admin;

import io.chat4all.hub.autoconfigure.KafkaAdmins;
import io.chat4all.hub.contracts.kafka.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code GET /v1/admin/stats} answers, read cheaply from each engine's own bookkeeping, never
 * by scanning data: Kafka end and committed offsets (accepted messages, consumer lag, dead
 * letters) and log sizes, PostgreSQL's statistics ({@code n_live_tup} of {@code messages}), the
 * replication slots, the archive manifest and job table, Elasticsearch's document count and store
 * size, and the connection counts each gateway reports ({@code gateway_instances}). Rates come from
 * samples this instance takes every {@code hub.gateway.stats.sample-interval} (10 s) and keeps for an
 * hour. An engine that cannot be read leaves its figures null and is named in {@code unavailable}:
 * the answer never fails for it.
 */
@Component
class HubStats implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HubStats.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** Running totals at one moment; null where the engine could not be read. */
    record Sample(Instant at, Long accepted, Long stored, Long indexed, Long archived) {
    }

    record Counter(Long total, Double perSecondLastMinute, Double perSecondLastHour) {
    }

    record Lag(String group, String topic, long lag) {
    }

    record Slot(String slot, boolean active, Long lagBytes) {
    }

    record Instance(String instanceId, int connections, Instant startedAt, Instant reportedAt) {
    }

    record Storage(Long postgresBytes, Long kafkaBytes, Long elasticsearchBytes, Long archivedObjectBytes) {
    }

    /** The rate windows actually covered: shorter than a minute or an hour while samples are younger. */
    record Windows(long lastMinuteSeconds, long lastHourSeconds) {
    }

    record Stats(Instant generatedAt, Map<String, Counter> messages, Windows rateWindows, List<Lag> consumerLag,
                 List<Slot> cdcSlots, List<Instance> realtime, Integer realtimeConnections, Map<String, Long> deadLetters,
                 Map<String, Long> archiveJobs, Storage storage, List<String> unavailable) {
    }

    private final Admin kafka;
    private final JdbcTemplate jdbc;
    private final RestClient elasticsearch;
    private final String alias;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final AtomicBoolean sampling = new AtomicBoolean();
    private final ExecutorService sampler = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hub-stats-sampler");
        thread.setDaemon(true);
        return thread;
    });

    HubStats(KafkaAdmin kafkaAdmin, JdbcTemplate jdbc, RestClient elasticsearch,
             @Value("${hub.gateway.search.index-alias:messages}") String alias) {
        this.kafka = KafkaAdmins.shortTimeouts(kafkaAdmin, "stats");
        this.jdbc = jdbc;
        this.elasticsearch = elasticsearch;
        this.alias = alias;
        this.clock = Clock.systemUTC();
    }

    /**
     * Takes a sample on a thread of its own: with an engine away a sample waits for its timeouts,
     * and the scheduler's thread also runs the access poll and the outbox sweep, which must not wait.
     */
    @Scheduled(fixedDelayString = "${hub.gateway.stats.sample-interval:10s}", initialDelay = 5_000)
    void sample() {
        if (sampling.compareAndSet(false, true)) {
            try {
                sampler.execute(() -> {
                    try {
                        remember(totals(new CopyOnWriteArrayList<>()));
                    } finally {
                        sampling.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                sampling.set(false); // shutting down
            }
        }
    }

    /** The whole answer (blocking: run it off the event loop). */
    Stats stats() {
        List<String> unavailable = new CopyOnWriteArrayList<>();
        Sample now = totals(unavailable);
        remember(now);
        Sample minuteAgo;
        Sample hourAgo;
        synchronized (samples) {
            minuteAgo = at(now.at().minus(MINUTE));
            hourAgo = at(now.at().minus(HOUR));
        }
        Map<String, Counter> messages = new LinkedHashMap<>();
        messages.put("accepted", counter(Sample::accepted, now, minuteAgo, hourAgo));
        messages.put("stored", counter(Sample::stored, now, minuteAgo, hourAgo));
        messages.put("indexed", counter(Sample::indexed, now, minuteAgo, hourAgo));
        messages.put("archived", counter(Sample::archived, now, minuteAgo, hourAgo));
        List<Instance> instances = attempt("postgres", unavailable, this::instances);
        return new Stats(now.at(), messages,
                new Windows(Duration.between(minuteAgo.at(), now.at()).toSeconds(),
                        Duration.between(hourAgo.at(), now.at()).toSeconds()),
                attempt("kafka", unavailable, this::consumerLag),
                attempt("postgres", unavailable, this::slots),
                instances,
                instances == null ? null : instances.stream().mapToInt(Instance::connections).sum(),
                attempt("kafka", unavailable, this::deadLetters),
                attempt("postgres", unavailable, this::archiveJobs),
                new Storage(attempt("postgres", unavailable,
                        () -> jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class)),
                        attempt("kafka", unavailable, this::kafkaBytes),
                        attempt("elasticsearch", unavailable, () -> elasticsearch("/_stats/store")
                                .at("/_all/primaries/store/size_in_bytes").asLong()),
                        attempt("postgres", unavailable,
                                () -> jdbc.queryForObject("SELECT coalesce(sum(bytes), 0) FROM archive_objects", Long.class))),
                unavailable.stream().distinct().sorted().toList());
    }

    private Sample totals(List<String> unavailable) {
        return new Sample(clock.instant(),
                attempt("kafka", unavailable, () -> endOffsets(List.of(Topics.MESSAGES_ACCEPTED.name()))
                        .values().stream().mapToLong(Long::longValue).sum()),
                // the statistics' live row count (how exact: docs/operations.md "Stats")
                attempt("postgres", unavailable, () -> jdbc.queryForObject(
                        "SELECT coalesce(max(n_live_tup), 0) FROM pg_stat_user_tables WHERE relname = 'messages'"
                                + " AND schemaname = current_schema()", Long.class)),
                attempt("elasticsearch", unavailable, () -> elasticsearch("/_count").path("count").asLong()),
                attempt("postgres", unavailable,
                        () -> jdbc.queryForObject("SELECT coalesce(sum(row_count), 0) FROM archive_objects", Long.class)));
    }

    private void remember(Sample sample) {
        synchronized (samples) {
            samples.addLast(sample);
            while (samples.size() > 1 && samples.peekFirst().at().isBefore(sample.at().minus(HOUR).minus(MINUTE))) {
                samples.removeFirst();
            }
        }
    }

    /** The latest sample at or before {@code moment}, else the oldest one kept. */
    private Sample at(Instant moment) {
        Sample chosen = samples.peekFirst();
        for (Sample sample : samples) {
            if (sample.at().isAfter(moment)) {
                break;
            }
            chosen = sample;
        }
        return chosen;
    }

    private static Counter counter(Function<Sample, Long> total, Sample now, Sample minuteAgo, Sample hourAgo) {
        return new Counter(total.apply(now), rate(total, minuteAgo, now), rate(total, hourAgo, now));
    }

    /** Per second from {@code from} to {@code to}; null without both totals or a second between them. */
    private static Double rate(Function<Sample, Long> total, Sample from, Sample to) {
        double seconds = Duration.between(from.at(), to.at()).toMillis() / 1000.0;
        Long before = total.apply(from);
        Long now = total.apply(to);
        if (now == null || before == null || seconds < 1) {
            return null;
        }
        return Math.round(Math.max(0, now - before) / seconds * 100) / 100.0;
    }

    private List<Lag> consumerLag() throws Exception {
        Collection<GroupListing> groups = get(kafka.listGroups(ListGroupsOptions.forConsumerGroups()).all());
        List<Lag> lags = new ArrayList<>();
        for (GroupListing group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = get(kafka.listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata());
            Map<TopicPartition, Long> ends = ends(committed.keySet());
            Map<String, Long> byTopic = new TreeMap<>();
            committed.forEach((partition, offset) -> {
                if (offset != null && ends.containsKey(partition)) {
                    byTopic.merge(partition.topic(), Math.max(0, ends.get(partition) - offset.offset()), Long::sum);
                }
            });
            byTopic.forEach((topic, lag) -> lags.add(new Lag(group.groupId(), topic, lag)));
        }
        lags.sort((a, b) -> a.group().equals(b.group()) ? a.topic().compareTo(b.topic()) : a.group().compareTo(b.group()));
        return lags;
    }

    private Map<String, Long> deadLetters() throws Exception {
        List<String> topics = get(kafka.listTopics().names()).stream().filter(topic -> topic.endsWith("-dlt")).sorted().toList();
        Map<String, Long> totals = new TreeMap<>();
        topics.forEach(topic -> totals.put(topic, 0L));
        endOffsets(topics).forEach((partition, end) -> totals.merge(partition.topic(), end, Long::sum));
        return totals;
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> partitions = new ArrayList<>();
        get(kafka.describeTopics(topics).allTopicNames()).forEach((topic, description) -> {
            for (TopicPartitionInfo partition : description.partitions()) {
                partitions.add(new TopicPartition(topic, partition.partition()));
            }
        });
        return ends(partitions);
    }

    private Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        get(kafka.listOffsets(latest).all()).forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private Long kafkaBytes() throws Exception {
        List<Integer> brokers = get(kafka.describeCluster().nodes()).stream().map(Node::id).toList();
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : get(kafka.describeLogDirs(brokers).allDescriptions()).values()) {
            for (LogDirDescription dir : dirs.values()) {
                bytes += dir.replicaInfos().values().stream().mapToLong(ReplicaInfo::size).sum();
            }
        }
        return bytes;
    }

    private List<Slot> slots() {
        return jdbc.query("SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
                        + " FROM pg_replication_slots WHERE database = current_database() ORDER BY slot_name",
                (rs, i) -> new Slot(rs.getString(1), rs.getBoolean(2), rs.getObject(3) == null ? null : rs.getLong(3)));
    }

    private List<Instance> instances() {
        return jdbc.query("SELECT instance_id, connections, started_at, reported_at FROM gateway_instances"
                        + " WHERE reported_at > now() - interval '1 minute' ORDER BY instance_id",
                (rs, i) -> new Instance(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()));
    }

    private Map<String, Long> archiveJobs() {
        Map<String, Long> states = new TreeMap<>(Map.of("queued", 0L, "running", 0L, "succeeded", 0L, "failed", 0L));
        jdbc.query("SELECT state, count(*) FROM archive_jobs GROUP BY state",
                rs -> {
                    states.put(rs.getString(1), rs.getLong(2));
                });
        return states;
    }

    /** An Elasticsearch answer about the alias; none yet (nothing indexed so far) reads as zeros. */
    private JsonNode elasticsearch(String path) throws IOException {
        try {
            return JSON.readTree(elasticsearch.performRequest(new Request("GET", "/" + alias + path)).getEntity().getContent());
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return JSON.createObjectNode();
            }
            throw e;
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @FunctionalInterface
    private interface Source<T> {
        T read() throws Exception;
    }

    private static <T> T attempt(String engine, List<String> unavailable, Source<T> source) {
        try {
            return source.read();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable.add(engine);
            return null;
        } catch (Exception e) {
            log.debug("stats: cannot read {}: {}", engine, e.toString());
            unavailable.add(engine);
            return null;
        }
    }

    @Override
    public void destroy() {
        sampler.shutdownNow();
        kafka.close(Duration.ofSeconds(2));
    }
}

package io.chat4all.hub.gateway.realtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.EventJson;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.conversations.ConversationRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * This gateway instance's view of new messages: a consumer of every partition of
 * {@code messages.participant} (no consumer group: each instance reads everything, from the end at
 * start), routing each copy in memory to its owner's open streams. Any instance can serve any user.
 *
 * <p>For each partition it remembers the last offset it dispatched. A stream registers under the
 * same lock the dispatcher holds per record, so everything up to that offset was dispatched before
 * the stream existed (the stream replays it from storage) and everything after reaches the
 * stream's buffer: the seam has no gap and, filtered by offset, no duplicate.
 */
@Component
public class LiveEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final String TOPIC = Topics.PARTICIPANT_MESSAGES.name();
    private static final List<String> STATUS_TOPICS = List.of(Topics.MESSAGE_STATUS.name(), Topics.WHATSAPP_STATUS.name(),
            Topics.INSTAGRAM_STATUS.name());
    private static final String CHANGES = Topics.CONVERSATION_CHANGES.name();

    /** Every topic the live consumer reads (the gateway declares them, so they exist before it starts). */
    public static final List<TopicSpec<?, ?>> TOPICS = List.of(Topics.PARTICIPANT_MESSAGES, Topics.MESSAGE_STATUS,
            Topics.WHATSAPP_STATUS, Topics.INSTAGRAM_STATUS, Topics.CONVERSATION_CHANGES);

    /** What a new stream gets: its buffer, its owner's partition, and the last offset dispatched there. */
    public record Registration(Subscriber subscriber, int partition, long dispatchedUpTo) {
    }

    private final Map<String, Object> config;
    private final Map<UUID, Set<Subscriber>> byOwner = new ConcurrentHashMap<>();
    private final Object dispatching = new Object();
    private final AtomicInteger open = new AtomicInteger();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Counter dispatched;
    private final Counter unreadable;
    private final Counter slowClosed;
    private volatile long[] positions;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile long lastPoll = System.nanoTime();
    private volatile String lastError;
    private final Counter restarts;
    private Thread thread;

    private static final Deserializer<UUID> OWNER_KEYS = Topics.PARTICIPANT_MESSAGES.keySerde().deserializer();
    private final Memberships memberships;
    /** Who sent recent messages that have a stream here (from their copies): who may see every delivery error. */
    private final Cache<UUID, UUID> senders = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1)).build();
    /** Routes statuses and membership changes; made on every start (a stopped context may be started again). */
    private volatile ExecutorService statusRouting;

    LiveEvents(KafkaProperties kafka, MeterRegistry meters, ConversationRepository conversations) {
        this.memberships = new Memberships(conversations, 50_000);
        Map<String, Object> properties = new HashMap<>(kafka.buildConsumerProperties());
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-gateway-live-" + UUID.randomUUID().toString().substring(0, 8));
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // only what the router committed: a copy from an aborted router transaction is never streamed
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.config = properties;
        this.dispatched = Counter.builder("hub.realtime.events").description("Message events routed to open streams")
                .register(meters);
        this.unreadable = Counter.builder("hub.realtime.unreadable").description("messages.participant records skipped as unreadable")
                .register(meters);
        this.restarts = Counter.builder("hub.realtime.consumer.restarts")
                .description("Times the live consumer failed and was replaced (open streams were closed to resume)")
                .register(meters);
        this.slowClosed = Counter.builder("hub.realtime.slow.closed")
                .description("Streams closed because their client did not keep up (buffer full)").register(meters);
        Gauge.builder("hub.realtime.connections", open, AtomicInteger::get)
                .description("Open real-time streams (SSE and WebSocket) on this instance").register(meters);
    }

    /**
     * Opens a stream for {@code owner}: from now on their live events are buffered (up to
     * {@code capacity}). Fails while the consumer has not found its partitions yet.
     */
    public Registration register(UUID owner, int capacity) {
        long[] current = positions;
        if (current == null) {
            throw new IllegalStateException("the live consumer is not assigned yet");
        }
        Subscriber subscriber = new Subscriber(owner, capacity);
        int partition = partitionOf(owner, current.length);
        synchronized (dispatching) {
            byOwner.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet()).add(subscriber);
            open.incrementAndGet();
            return new Registration(subscriber, partition, positions[partition]);
        }
    }

    public void unregister(Subscriber subscriber) {
        byOwner.computeIfPresent(subscriber.owner(), (owner, set) -> {
            if (set.remove(subscriber)) {
                open.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }

    /** Open streams on this instance. */
    public int connections() {
        return open.get();
    }

    /** Open streams of one user on this instance. */
    public int connections(UUID owner) {
        Set<Subscriber> set = byOwner.get(owner);
        return set == null ? 0 : set.size();
    }

    /** The partition of {@code messages.participant} holding {@code owner}'s copies (Kafka's default partitioner). */
    static int partitionOf(UUID owner, int partitions) {
        byte[] key = Topics.PARTICIPANT_MESSAGES.keySerde().serializer().serialize(TOPIC, owner);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /**
     * Runs the consumer for as long as the gateway does. A consumer that fails is replaced (after
     * 1 s, doubling up to 30 s): the open streams are closed first with {@code restarting} (their
     * clients reconnect and replay from storage with their cursor, so nothing is missed), then a
     * new consumer starts from the ends again.
     */
    private void supervise() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                if (!running) {
                    return;
                }
                consume(c);
                return;
            } catch (WakeupException e) {
                if (!running) {
                    return;
                }
                failed(new IllegalStateException("woken up while running", e));
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                failed(e);
            }
            LockSupport.parkNanos(backoff.toNanos());
            backoff = positions != null ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), Duration.ofSeconds(30));
        }
    }

    private void failed(RuntimeException e) {
        positions = null;
        lastError = e.toString();
        restarts.increment();
        log.error("live events: the consumer failed; closing {} open streams (they resume from storage) and "
                + "restarting it: {}", open.get(), e.getMessage(), e);
        closeAll(Subscriber.RESTARTING, "live events restarted on this gateway; reconnect with your cursor");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void consume(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = List.of();
        while (running && partitions.isEmpty()) {
            try {
                partitions = c.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .sorted((a, b) -> a.partition() - b.partition()).toList();
            } catch (TimeoutException e) {
                log.warn("live events: Kafka does not answer ({}); trying again", e.getMessage());
            }
            if (partitions.isEmpty()) {
                log.warn("live events: topic {} has no partitions yet; looking again in 1 s", TOPIC);
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            }
        }
        List<TopicPartition> all = new ArrayList<>(partitions);
        for (String topic : TOPICS.stream().map(TopicSpec::name).filter(name -> !name.equals(TOPIC)).toList()) {
            try {
                List<PartitionInfo> found = c.partitionsFor(topic, Duration.ofSeconds(10));
                if (found.isEmpty()) {
                    log.warn("live events: topic {} does not exist; its events are not streamed", topic);
                }
                found.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
            } catch (TimeoutException e) {
                log.warn("live events: no partitions of {} ({}); its events are not streamed", topic, e.getMessage());
            }
        }
        c.assign(all);
        c.seekToEnd(all);
        long[] start = new long[partitions.size()];
        for (TopicPartition tp : partitions) {
            start[tp.partition()] = c.position(tp) - 1;
        }
        positions = start;
        assigned.countDown();
        log.info("live events: reading {} partitions of {} (and statuses, membership changes) from their ends",
                partitions.size(), TOPIC);
        while (running) {
            ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
            lastPoll = System.nanoTime();
            // Membership changes first: a status polled with the removal that preceded it must
            // not reach the removed member (the records of one poll are grouped by partition).
            records.records(CHANGES).forEach(this::dispatch);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (!CHANGES.equals(record.topic())) {
                    dispatch(record);
                }
            }
        }
    }

    /** Whether live events flow: assigned, and polled within {@code within}. */
    public boolean healthy(Duration within) {
        return positions != null && System.nanoTime() - lastPoll < within.toNanos();
    }

    /** The last failure of the consumer (null if none), and how often it was restarted. */
    public String lastError() {
        return lastError;
    }

    public long restarts() {
        return (long) restarts.count();
    }

    private void closeAll(String code, String detail) {
        byOwner.values().forEach(set -> set.forEach(s -> s.close(code, detail)));
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        if (STATUS_TOPICS.contains(record.topic())) {
            if (byOwner.isEmpty()) {
                return;
            }
            DeliveryStatusChanged change = read(record, Topics.MESSAGE_STATUS.valueSerde().deserializer());
            if (change != null) {
                statusRouting.execute(() -> routeStatus(change));
            }
            return;
        }
        if (CHANGES.equals(record.topic())) {
            ConversationChanged change = read(record, Topics.CONVERSATION_CHANGES.valueSerde().deserializer());
            if (change != null) {
                statusRouting.execute(() -> memberships.apply(change));
            }
            return;
        }
        dispatchCopy(record);
    }

    /**
     * Runs on the status thread (membership may need PostgreSQL; message dispatch never waits for
     * it). A step goes to the members who had joined when the message was sent (its Snowflake id
     * says when), not to those who joined later; its provider error only to the recipient it is
     * about and to the sender (known from the sender's copy, dispatched here before), the other
     * recipients get the step without it.
     */
    private void routeStatus(DeliveryStatusChanged change) {
        try {
            StatusEvent event = StatusEvent.of(change);
            StatusEvent withoutError = event.withoutError();
            UUID sender = senders.getIfPresent(change.messageId());
            Instant sentAt = change.msgId() > 0 ? SnowflakeIdGenerator.parse(change.msgId()).timestamp() : null;
            for (UUID member : memberships.membersAt(change.conversationId(), sentAt)) {
                Set<Subscriber> subscribers = byOwner.get(member);
                if (subscribers != null) {
                    StatusEvent visible = member.equals(change.recipientId()) || member.equals(sender) ? event : withoutError;
                    subscribers.forEach(subscriber -> subscriber.offer(visible));
                }
            }
        } catch (RuntimeException e) {
            log.warn("live events: status of message {} not streamed: {}", change.messageId(), e.getMessage());
        }
    }

    private <T> T read(ConsumerRecord<byte[], byte[]> record, Deserializer<T> deserializer) {
        try {
            return deserializer.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            unreadable.increment();
            log.warn("live events: skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return null;
        }
    }

    /**
     * Looks at the record's key (its owner) first: only a copy for someone with a stream open here
     * is decoded; the rest only move this partition's position.
     */
    private void dispatchCopy(ConsumerRecord<byte[], byte[]> record) {
        UUID owner = ownerOf(record);
        synchronized (dispatching) {
            Set<Subscriber> subscribers = owner == null ? null : byOwner.get(owner);
            ParticipantMessage copy = subscribers == null ? null
                    : read(record, Topics.PARTICIPANT_MESSAGES.valueSerde().deserializer());
            if (copy != null && !copy.ownerId().equals(owner)) {
                log.warn("live events: skipping {}-{}@{}: keyed by {} but owned by {}", record.topic(), record.partition(),
                        record.offset(), owner, copy.ownerId());
                copy = null;
            }
            if (copy != null) {
                senders.put(copy.messageId(), copy.senderId());
                StreamEvent event = event(copy, record.partition(), record.offset());
                for (Subscriber subscriber : subscribers) {
                    if (!subscriber.offer(event)) {
                        slowClosed.increment();
                        log.info("live events: closing a stream of user {}: its buffer is full (slow consumer)",
                                copy.ownerId());
                    }
                }
                dispatched.increment();
            }
            positions[record.partition()] = record.offset();
        }
    }

    /** The owner a copy is keyed by, or null for a key that is not one. */
    private UUID ownerOf(ConsumerRecord<byte[], byte[]> record) {
        try {
            return OWNER_KEYS.deserialize(record.topic(), record.key());
        } catch (RuntimeException e) {
            unreadable.increment();
            log.warn("live events: skipping {}-{}@{}: its key is not an owner id", record.topic(), record.partition(),
                    record.offset());
            return null;
        }
    }

    static StreamEvent event(ParticipantMessage copy, int partition, long offset) {
        return new StreamEvent(new StreamCursor(partition, offset), copy.messageId(), copy.seq(), copy.conversationId(),
                copy.senderId(), EventJson.mapper().convertValue(copy.payload(), OBJECT), copy.metadata(), "in_transit",
                copy.acceptedAt());
    }

    @Override
    public void start() {
        statusRouting = Executors.newSingleThreadExecutor(runnable -> {
            Thread routing = new Thread(runnable, "live-status");
            routing.setDaemon(true);
            return routing;
        });
        running = true;
        thread = new Thread(this::supervise, "live-events");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!assigned.await(10, TimeUnit.SECONDS)) {
                log.warn("live events: not assigned after 10 s (is Kafka up?); streams answer 503 until it is");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        statusRouting.shutdownNow();
        if (consumer != null) {
            consumer.wakeup();
        }
        closeAll(Subscriber.SHUTTING_DOWN, "this gateway is stopping; reconnect");
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

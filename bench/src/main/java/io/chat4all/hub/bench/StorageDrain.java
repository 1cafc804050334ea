package io.chat4all.hub.bench;

import io.chat4all.hub.contracts.events.Direction;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * storage-writer's rows a second, measured on the running hub as the rate it drains a backlog at:
 * storage-writer is paused ({@code SIGSTOP}, well inside Kafka's session timeout, so its group does
 * not rebalance), {@code rows} participant copies (groups of 3, texts of 200 B – 2 KB, a
 * conversation of their own, owners nobody uses) are produced to {@code messages.participant}, the
 * writer is resumed, and the clock runs from the resume until its committed progress
 * ({@code stream_progress}, advanced in the transaction that stores the rows) covers every one of
 * them. Without the pause the bench's own producer would share the two cores with the writer and
 * the figure would be the producer's. CPU of storage-writer and PostgreSQL during the drain gives
 * CPU per row. The rows are deleted afterwards; a local hub is needed (the writer's pid).
 */
final class StorageDrain {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final TopicSpec<UUID, ParticipantMessage> TOPIC = Topics.PARTICIPANT_MESSAGES;

    private final Map<String, String> env;
    private final Path root;
    private final int rows;

    StorageDrain(Map<String, String> env, Path root, int rows) {
        this.env = env;
        this.root = root;
        this.rows = rows;
    }

    /** Runs the drain; answers its figures (rows, seconds, rows_per_s, CPU per row of each part). */
    Map<String, Object> measure() {
        UUID conversation = UUID.randomUUID();
        UUID[] owners = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        List<Payload> texts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            texts.add(new Payload.Text(Population.text(200, 2000)));
        }
        Map<Integer, Long> lastOffsets = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        HubProcesses processes = new HubProcesses(root);
        Long writer = processes.services().get("storage-writer");
        if (writer == null) {
            throw new IllegalStateException("the storage drain needs a local hub (./hub up): no storage-writer in .hub/run/stack.json");
        }
        log.info("storage drain: storage-writer paused, producing {} participant copies to {}", rows, TOPIC.name());
        signal("STOP", writer);
        long begin = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant accepted = Instant.now();
            for (int i = 0; i < rows; i++) {
                int message = i / owners.length;
                UUID owner = owners[i % owners.length];
                ParticipantMessage copy = new ParticipantMessage(UUID.randomUUID(), accepted, owner,
                        owner == owners[0] ? Direction.OUTGOING : Direction.INCOMING, 4_000_000_000L + message,
                        new UUID(conversation.getMostSignificantBits(), message), conversation, message + 1L, owners[0],
                        texts.get(message % texts.size()), Map.of(), accepted);
                producer.send(new ProducerRecord<>(TOPIC.name(), TOPIC.keySerde().serializer().serialize(TOPIC.name(), owner),
                        TOPIC.valueSerde().serializer().serialize(TOPIC.name(), copy)), (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            } else {
                                lastOffsets.merge(metadata.partition(), metadata.offset(), Math::max);
                            }
                        });
            }
            producer.flush();
        } finally {
            processes.start();
            signal("CONT", writer);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the copies failed: " + failure.get(), failure.get());
        }
        double produced = (System.nanoTime() - begin) / 1e9;
        log.info(String.format("storage drain: produced in %.1f s, storage-writer resumed", produced));
        double seconds = waitUntilStored(lastOffsets, System.nanoTime());
        Map<String, Object> parts = processes.finish();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", rows);
        figures.put("produce_s", round(produced));
        figures.put("seconds", round(seconds));
        figures.put("rows_per_s", round(rows / seconds));
        Map<String, Object> cpu = new LinkedHashMap<>();
        for (String part : List.of("storage-writer", "postgres")) {
            if (parts.get(part) instanceof Map<?, ?> figuresOfPart && figuresOfPart.get("cpu_s") instanceof Number s) {
                cpu.put(part, round(s.doubleValue() * 1e6 / rows));
            }
        }
        figures.put("cpu_us_per_row", cpu);
        log.info(String.format("storage-writer: %d rows in %.1f s = %.0f rows/s; CPU µs per row %s", rows, seconds,
                rows / seconds, cpu));
        deleteRows(conversation);
        return figures;
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal storage-writer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling storage-writer", e);
        }
    }

    private double waitUntilStored(Map<Integer, Long> lastOffsets, long begin) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long lastLog = System.nanoTime();
        try (Connection db = connect();
             PreparedStatement progress = db.prepareStatement(
                     "SELECT partition, next_offset FROM stream_progress WHERE topic = ?")) {
            progress.setString(1, TOPIC.name());
            while (true) {
                Map<Integer, Long> stored = new HashMap<>();
                try (ResultSet rs = progress.executeQuery()) {
                    while (rs.next()) {
                        stored.put(rs.getInt(1), rs.getLong(2));
                    }
                }
                long behind = lastOffsets.entrySet().stream()
                        .mapToLong(e -> Math.max(0, e.getValue() + 1 - stored.getOrDefault(e.getKey(), 0L))).sum();
                if (behind == 0) {
                    return (System.nanoTime() - begin) / 1e9;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("storage-writer did not store the copies in 10 minutes ("
                            + behind + " behind); is it running? (./hub status)");
                }
                if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
                    lastLog = System.nanoTime();
                    log.info("storage drain: {} copies still to store", behind);
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading storage progress failed: " + e.getMessage(), e);
        }
    }

    private void deleteRows(UUID conversation) {
        try (Connection db = connect();
             PreparedStatement delete = db.prepareStatement("DELETE FROM participant_messages WHERE conversation_id = ?")) {
            delete.setObject(1, conversation);
            delete.executeUpdate();
        } catch (SQLException e) {
            log.warn("could not delete the drain's rows (conversation {}): {}", conversation, e.getMessage());
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"), env.get("POSTGRES_PASSWORD"));
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return config;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}

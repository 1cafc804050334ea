package io.chat4all.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.autoconfigure.ConsumerErrors;
import io.chat4all.hub.autoconfigure.Fault;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.Direction;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.storage.config.StorageWriterProperties;
import io.chat4all.hub.storage.persistence.HistoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** storage-writer against real Kafka and PostgreSQL: schema, idempotent batch writes, monotonic statuses, dead letters. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.consumer.group-id=storage-writer-test-${random.uuid}")
class StorageWriterApplicationTest {

    private static final AtomicLong MSG_IDS = new AtomicLong(System.nanoTime());

    @Value("${local.server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    HistoryStore store;
    @Autowired
    TransactionTemplate transaction;

    private final UUID conversation = UUID.randomUUID();
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void openProducer(TestStack stack) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        Instant created = Instant.now().minus(1, ChronoUnit.HOURS);
        jdbc.update("INSERT INTO conversations (conversation_id, type, created_by, created_at, membership_version, last_activity_at)"
                + " VALUES (?, 'private', ?, ?, 1, ?)", conversation, alice, Timestamp.from(created), Timestamp.from(created));
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUses() {
        ServiceChecks.assertHealthy(port, managementPort, "kafka", "db");
    }

    @Test
    void shouldStoreEachMessageOnceAndOneCopyPerParticipantEvenWhenRedelivered() throws Exception {
        List<MessageRouted> messages = new ArrayList<>();
        for (int seq = 1; seq <= 3; seq++) {
            messages.add(routed(seq));
        }
        for (int round = 0; round < 2; round++) {
            for (MessageRouted message : messages) {
                send(Topics.MESSAGES_ROUTED, conversation, message);
                send(Topics.PARTICIPANT_MESSAGES, alice, copy(message, alice, Direction.OUTGOING));
                send(Topics.PARTICIPANT_MESSAGES, bob, copy(message, bob, Direction.INCOMING));
            }
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = ?", conversation)).isEqualTo(3);
            assertThat(count("SELECT count(*) FROM participant_messages WHERE conversation_id = ?", conversation)).isEqualTo(6);
            assertThat(count("SELECT last_seq FROM conversations WHERE conversation_id = ?", conversation)).isEqualTo(3);
        });
        assertThat(jdbc.queryForList("SELECT seq FROM participant_messages WHERE owner_id = ? ORDER BY seq", Long.class, bob))
                .containsExactly(1L, 2L, 3L);
        assertThat(jdbc.queryForObject("SELECT COALESCE(p.payload, m.payload)->>'text' FROM participant_messages p"
                + " JOIN messages m ON m.msg_id = p.msg_id WHERE p.owner_id = ? AND p.seq = 2", String.class, bob))
                .isEqualTo("message 2");
        MessageRouted second = messages.get(1);
        Map<String, Object> stored = jdbc.queryForMap("SELECT array_to_string(channels, ',') AS channels,"
                + " array_to_string(participants, ',') AS participants, metadata->>'k' AS k, request_hash, accepted_at"
                + " FROM messages WHERE msg_id = ?", second.msgId());
        assertThat(stored).containsEntry("channels", "whatsapp").containsEntry("participants", alice + "," + bob)
                .containsEntry("k", "v").containsEntry("request_hash", "hash-2");
        assertThat(((Timestamp) stored.get("accepted_at")).toInstant())
                .isEqualTo(second.acceptedAt().truncatedTo(ChronoUnit.MICROS));
    }

    /** A payload is stored once: copies stored after their message's row carry none; earlier ones keep theirs. */
    @Test
    void shouldStoreAPayloadOnceWhenTheMessageRowIsThereFirst() throws Exception {
        MessageRouted first = routed(1);
        send(Topics.MESSAGES_ROUTED, conversation, first);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM messages WHERE msg_id = ?", first.msgId()) == 1);
        send(Topics.PARTICIPANT_MESSAGES, alice, copy(first, alice, Direction.OUTGOING));
        send(Topics.PARTICIPANT_MESSAGES, bob, copy(first, bob, Direction.INCOMING));
        MessageRouted second = routed(2);
        send(Topics.PARTICIPANT_MESSAGES, bob, copy(second, bob, Direction.INCOMING));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM participant_messages WHERE conversation_id = ?", conversation)).isEqualTo(3));
        assertThat(count("SELECT count(*) FROM participant_messages WHERE msg_id = ? AND payload IS NULL"
                + " AND metadata IS NULL", first.msgId())).as("both copies read the message's payload").isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT payload->>'text' FROM participant_messages WHERE msg_id = ?", String.class,
                second.msgId())).as("stored before its message row: keeps its own").isEqualTo("message 2");
    }

    /** Large batches go by binary COPY through staging tables: the same rows, as idempotent. */
    @Test
    void shouldStoreTheSameRowsByCopyAsByInsertAndStayIdempotent() {
        HistoryStore copying = new HistoryStore(jdbc, new StorageWriterProperties(500, 1, 1, null, 0));
        List<MessageRouted> messages = List.of(routed(1), routed(2), routed(3));
        List<ConsumerRecord<UUID, ParticipantMessage>> copies = new ArrayList<>();
        long offset = 1_000;
        for (MessageRouted message : messages) {
            copies.add(new ConsumerRecord<>(Topics.PARTICIPANT_MESSAGES.name(), 0, offset++, bob,
                    copy(message, bob, Direction.INCOMING)));
        }
        for (int round = 0; round < 2; round++) {
            transaction.executeWithoutResult(tx -> {
                copying.saveRouted(messages);
                copying.saveCopies(copies);
            });
        }

        assertThat(jdbc.queryForList("SELECT seq FROM messages WHERE conversation_id = ? ORDER BY seq", Long.class,
                conversation)).containsExactly(1L, 2L, 3L);
        assertThat(jdbc.queryForMap("SELECT array_to_string(channels, ',') AS channels, payload->>'text' AS text,"
                + " array_length(participants, 1) AS members FROM messages WHERE msg_id = ?", messages.get(1).msgId()))
                .containsEntry("channels", "whatsapp").containsEntry("text", "message 2").containsEntry("members", 2);
        assertThat(jdbc.queryForList("SELECT stream_offset FROM participant_messages WHERE owner_id = ? ORDER BY seq",
                Long.class, bob)).containsExactly(1_000L, 1_001L, 1_002L);
        assertThat(count("SELECT last_seq FROM conversations WHERE conversation_id = ?", conversation)).isEqualTo(3);
        assertThat(count("SELECT next_offset FROM stream_progress WHERE topic = ? AND partition = 0",
                Topics.PARTICIPANT_MESSAGES.name())).isGreaterThanOrEqualTo(1_003);

        List<MessageRouted> refused = List.of(routed(4, "\0 in a copied batch"));
        assertThatThrownBy(() -> transaction.executeWithoutResult(tx -> copying.saveRouted(refused)))
                .satisfies(e -> assertThat(Fault.of(e).kind()).isEqualTo(Fault.Kind.DATA));
        transaction.executeWithoutResult(tx -> copying.saveRouted(List.of(routed(5))));
        assertThat(count("SELECT last_seq FROM conversations WHERE conversation_id = ?", conversation)).isEqualTo(5);
    }

    /** One batch, applied in one statement, ends where applying its statuses one by one would. */
    @Test
    void shouldApplyABatchOfStatusesAsIfOneByOne() {
        MessageRouted message = routed(1);
        UUID carol = UUID.randomUUID();
        List<DeliveryStatusChanged> batch = List.of(
                status(message, bob, DeliveryStatus.SENT, "wamid.1", null, 1),
                status(message, bob, DeliveryStatus.DELIVERED, null, null, 2),
                status(message, bob, DeliveryStatus.SENT, "wamid.2", null, 3),
                status(message, bob, DeliveryStatus.READ, null, null, 4),
                status(message, bob, DeliveryStatus.FAILED, null, new DeliveryStatusChanged.DeliveryError("1", "late"), 5),
                status(message, carol, DeliveryStatus.FAILED, null, new DeliveryStatusChanged.DeliveryError("131047", "window"), 1),
                status(message, carol, DeliveryStatus.DELIVERED, null, null, 2));

        transaction.executeWithoutResult(tx -> store.saveStatuses(batch));
        transaction.executeWithoutResult(tx -> store.saveStatuses(batch));

        assertThat(jdbc.queryForMap("SELECT status, provider_message_id, error_reason FROM message_status"
                + " WHERE msg_id = ? AND recipient_id = ?", message.msgId(), bob))
                .containsEntry("status", "read").containsEntry("provider_message_id", "wamid.1")
                .containsEntry("error_reason", null);
        assertThat(jdbc.queryForList("SELECT status FROM message_status_history WHERE msg_id = ? AND recipient_id = ?"
                + " ORDER BY at", String.class, message.msgId(), bob)).containsExactly("sent", "delivered", "read");
        assertThat(jdbc.queryForMap("SELECT status, error_code FROM message_status WHERE msg_id = ? AND recipient_id = ?",
                message.msgId(), carol)).containsEntry("status", "failed").containsEntry("error_code", "131047");
        assertThat(count("SELECT count(*) FROM message_status_history WHERE msg_id = ? AND recipient_id = ?",
                message.msgId(), carol)).isEqualTo(1);
    }

    @Test
    void shouldMoveStatusesOnlyForwardAndKeepEachTransitionOnce() throws Exception {
        MessageRouted message = routed(1);
        List<DeliveryStatus> arrivals = List.of(DeliveryStatus.SENT, DeliveryStatus.READ, DeliveryStatus.DELIVERED,
                DeliveryStatus.SENT, DeliveryStatus.READ);
        send(Topics.MESSAGE_STATUS, conversation, status(message, null, null, DeliveryStatus.IN_TRANSIT, 0));
        int i = 1;
        for (DeliveryStatus arrival : arrivals) {
            send(Topics.MESSAGE_STATUS, conversation, status(message, bob, Channel.WHATSAPP, arrival, i++));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT status FROM message_status WHERE msg_id = ? AND recipient_id = ?", String.class,
                message.msgId(), bob)).isEqualTo("read"));
        assertThat(jdbc.queryForList("SELECT status FROM message_status_history WHERE msg_id = ? AND recipient_id = ? ORDER BY at",
                String.class, message.msgId(), bob)).as("delivered after read changes nothing").containsExactly("sent", "read");
        assertThat(jdbc.queryForObject("SELECT status FROM message_status WHERE msg_id = ? AND channel = 'hub'",
                String.class, message.msgId())).isEqualTo("in_transit");
    }

    @Test
    void shouldDeadLetterAnUnreadableRecordAndStoreTheOnesAfterIt(TestStack stack) throws Exception {
        String poison = "{not a participant message " + UUID.randomUUID();
        producer.send(new ProducerRecord<>(Topics.PARTICIPANT_MESSAGES.name(),
                Serdes.UUID().serializer().serialize("", bob), poison.getBytes(StandardCharsets.UTF_8))).get();
        MessageRouted message = routed(1);
        send(Topics.PARTICIPANT_MESSAGES, bob, copy(message, bob, Direction.INCOMING));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM participant_messages WHERE conversation_id = ?", conversation)).isEqualTo(1));
        ConsumerRecord<byte[], byte[]> letter = deadLetter(stack, Topics.PARTICIPANT_MESSAGES,
                value -> value.equals(poison));
        assertThat(header(letter, ConsumerErrors.KIND_HEADER)).isEqualTo("data");
    }

    @Test
    void shouldDeadLetterACopyPostgresRefusesAndStoreTheRestOfItsBatch(TestStack stack) throws Exception {
        List<MessageRouted> messages = new ArrayList<>();
        for (int seq = 1; seq <= 6; seq++) {
            messages.add(seq == 3 ? routed(seq, "jsonb cannot hold \0: " + MSG_IDS.get()) : routed(seq));
        }
        for (MessageRouted message : messages) {
            producer.send(record(Topics.PARTICIPANT_MESSAGES, bob, copy(message, bob, Direction.INCOMING)));
        }
        producer.flush();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT seq FROM participant_messages WHERE owner_id = ? ORDER BY seq", Long.class, bob))
                .containsExactly(1L, 2L, 4L, 5L, 6L));
        ConsumerRecord<byte[], byte[]> letter = deadLetter(stack, Topics.PARTICIPANT_MESSAGES,
                value -> value.contains(messages.get(2).messageId().toString()));
        assertThat(header(letter, ConsumerErrors.KIND_HEADER)).isEqualTo("data");
        assertThat(header(letter, ConsumerErrors.REASON_HEADER)).contains("SQLState 22P05")
                .doesNotContain("jsonb cannot hold");
        assertThat(meters.get("hub.consumer.dead.letters").tag("topic", Topics.PARTICIPANT_MESSAGES.name())
                .tag("kind", "data").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldDeadLetterAMessagePostgresRefusesAndGoOnWithTheConversation(TestStack stack) throws Exception {
        MessageRouted poison = routed(1, "\0 again " + MSG_IDS.get());
        MessageRouted next = routed(2);
        producer.send(record(Topics.MESSAGES_ROUTED, conversation, poison));
        producer.send(record(Topics.MESSAGES_ROUTED, conversation, next));
        producer.flush();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT last_seq FROM conversations WHERE conversation_id = ?", conversation)).isEqualTo(2));
        assertThat(jdbc.queryForList("SELECT seq FROM messages WHERE conversation_id = ?", Long.class, conversation))
                .containsExactly(2L);
        deadLetter(stack, Topics.MESSAGES_ROUTED, value -> value.contains(poison.messageId().toString()));
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(TestStack stack, TopicSpec<?, ?> topic,
                                                             Predicate<String> wanted) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestStack.uniqueName("dlt-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer())) {
            consumer.subscribe(List.of(topic.deadLetterTopic()));
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (wanted.test(new String(r.value(), StandardCharsets.UTF_8))) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Now, with a sub-microsecond part that rounding and truncation store differently (999.6 µs into the millisecond). */
    private static Instant acceptedNow() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).plusNanos(999_600);
    }

    private MessageRouted routed(long seq) {
        return routed(seq, "message " + seq);
    }

    private MessageRouted routed(long seq, String text) {
        return new MessageRouted(UUID.randomUUID(), Instant.now(), MSG_IDS.incrementAndGet(), UUID.randomUUID(), conversation,
                seq, seq % 2 == 0 ? bob : alice, new Payload.Text(text), List.of(Channel.WHATSAPP),
                Map.of("k", "v"), List.of(alice, bob), "hash-" + seq, acceptedNow());
    }

    private ParticipantMessage copy(MessageRouted m, UUID owner, Direction direction) {
        return new ParticipantMessage(UUID.randomUUID(), Instant.now(), owner, direction, m.msgId(), m.messageId(),
                m.conversationId(), m.seq(), m.senderId(), m.payload(), m.metadata(), m.acceptedAt());
    }

    private DeliveryStatusChanged status(MessageRouted m, UUID recipient, Channel channel, DeliveryStatus status, int step) {
        return new DeliveryStatusChanged(UUID.randomUUID(), m.acceptedAt().plusMillis(step), m.msgId(), m.messageId(),
                m.conversationId(), recipient, channel, status, channel == null ? null : "wamid.test", null);
    }

    private DeliveryStatusChanged status(MessageRouted m, UUID recipient, DeliveryStatus status, String providerId,
                                         DeliveryStatusChanged.DeliveryError error, int step) {
        return new DeliveryStatusChanged(UUID.randomUUID(), m.acceptedAt().plusMillis(step), m.msgId(), m.messageId(),
                m.conversationId(), recipient, Channel.WHATSAPP, status, providerId, error);
    }

    private <V> void send(TopicSpec<UUID, V> topic, UUID key, V value) throws Exception {
        producer.send(record(topic, key, value)).get();
    }

    private static <V> ProducerRecord<byte[], byte[]> record(TopicSpec<UUID, V> topic, UUID key, V value) {
        return new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    private long count(String sql, Object... args) {
        Long value = jdbc.queryForObject(sql, Long.class, args);
        return value == null ? 0 : value;
    }
}

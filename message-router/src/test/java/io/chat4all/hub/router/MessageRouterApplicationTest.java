package io.chat4all.hub.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.contracts.events.ConversationChange;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.ConversationType;
import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.router.messaging.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** message-router boots against real Kafka, reports its health, and routes for real (exactly-once, dead letters). */
@HubStack(EngineKind.KAFKA)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.streams.application-id=router-test-${random.uuid}",
        "spring.kafka.streams.state-dir=target/streams-state/${random.uuid}"})
class MessageRouterApplicationTest {

    @Value("${local.server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void shouldReportUpWithKafkaAndARunningTopology() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ServiceChecks.assertHealthy(port, managementPort, "kafka"));
    }

    @Test
    void shouldCreateTheTopicsItOwns(TestStack stack) {
        ServiceChecks.assertTopicsExist(stack.kafkaBootstrapServers(), Topics.MESSAGES_ROUTED.name(),
                Topics.PARTICIPANT_MESSAGES.name(), Topics.MESSAGE_STATUS.name(), Topics.WHATSAPP_OUTBOUND.name(),
                Topics.INSTAGRAM_OUTBOUND.name(), Topics.MESSAGES_ACCEPTED.deadLetterTopic());
    }

    @Test
    void shouldKeepTheStateTopicsItRebuildsFromCompacted(TestStack stack) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            for (String topic : List.of(Topics.USER_CHANGES.name(), Topics.CONVERSATION_CHANGES.name())) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
                assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(topic).isEqualTo("compact");
            }
            ConfigResource accepted = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MESSAGES_ACCEPTED.name());
            assertThat(admin.describeConfigs(List.of(accepted)).all().get(10, TimeUnit.SECONDS).get(accepted)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
        }
    }

    @Test
    void shouldRouteThroughRealKafkaAndDeadLetterAnUnreadableRecord(TestStack stack) throws Exception {
        UUID conversation = UUID.randomUUID();
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        String poison = "{unreadable " + UUID.randomUUID();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())) {
            send(producer, Topics.CONVERSATION_CHANGES, conversation, new ConversationChanged(UUID.randomUUID(),
                    Instant.now(), conversation, 1, ConversationChange.CREATED, ConversationType.PRIVATE, null,
                    List.of(alice, bob), null, alice));
            producer.send(new ProducerRecord<>(Topics.MESSAGES_ACCEPTED.name(),
                    Serdes.UUID().serializer().serialize("", conversation), poison.getBytes(StandardCharsets.UTF_8))).get();
            for (int i = 1; i <= 3; i++) {
                send(producer, Topics.MESSAGES_ACCEPTED, conversation, new MessageAccepted(UUID.randomUUID(), Instant.now(),
                        i, UUID.randomUUID(), conversation, i % 2 == 0 ? bob : alice, 1, new Payload.Text("message " + i),
                        List.of(), Map.of(), "hash-" + i));
            }
        }

        List<MessageRouted> routed = consume(stack, Topics.MESSAGES_ROUTED.name(), Topics.MESSAGES_ROUTED.valueSerde().deserializer(),
                r -> r.value().conversationId().equals(conversation), 3);
        assertThat(routed).extracting(MessageRouted::seq).containsExactly(1L, 2L, 3L);
        assertThat(routed).extracting(r -> ((Payload.Text) r.payload()).text())
                .containsExactly("message 1", "message 2", "message 3");

        List<byte[]> letters = new ArrayList<>();
        consumeRecords(stack, Topics.MESSAGES_ACCEPTED.deadLetterTopic(), Serdes.ByteArray().deserializer(),
                r -> new String(r.value(), StandardCharsets.UTF_8).equals(poison), 1).forEach(r -> {
                    assertThat(r.headers().lastHeader(DeadLetterHandler.ERROR_CLASS_HEADER)).isNotNull();
                    letters.add(r.value());
                });
        assertThat(letters).hasSize(1);
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, TopicSpec<UUID, V> topic, UUID key, V value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    private static <V> List<V> consume(TestStack stack, String topic, Deserializer<V> values,
                                       Predicate<ConsumerRecord<UUID, V>> wanted, int count) {
        return consumeRecords(stack, topic, values, wanted, count).stream().map(ConsumerRecord::value).toList();
    }

    private static <V> List<ConsumerRecord<UUID, V>> consumeRecords(TestStack stack, String topic, Deserializer<V> values,
                                                                    Predicate<ConsumerRecord<UUID, V>> wanted, int count) {
        List<ConsumerRecord<UUID, V>> found = new ArrayList<>();
        try (KafkaConsumer<UUID, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestStack.uniqueName("router-test"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), Serdes.UUID().deserializer(), values)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (wanted.test(record)) {
                        found.add(record);
                    }
                });
                return found.size() >= count;
            });
        }
        return found;
    }
}

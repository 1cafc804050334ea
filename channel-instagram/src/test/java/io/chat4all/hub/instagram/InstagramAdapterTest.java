package io.chat4all.hub.instagram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.channel.web.WebhookSignature;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.junit.TopicEvents;
import io.chat4all.hub.localstack.process.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * channel-instagram against real Kafka and PostgreSQL and the provider simulator as its own
 * process, which sends its signed read receipts back to this adapter.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class InstagramAdapterTest {

    private static final int PORT = Ports.freePort();
    private static final int MANAGEMENT_PORT = Ports.freePort();
    private static final String APP_SECRET = "test-instagram-app-secret";
    private static final String TOKEN = "test-page-token";
    private static final String ACCOUNT = "17841400000000000";
    private static ServiceProcess simulator;

    private final HubApi adapter = new HubApi(PORT);

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        simulator = ServiceProcess.start(HubService.PROVIDER_SIMULATOR, TestStack.get(), Map.of(
                "SIM_INSTAGRAM_WEBHOOK_URL", "http://127.0.0.1:" + PORT + "/webhooks/instagram",
                "SIM_INSTAGRAM_APP_SECRET", APP_SECRET,
                "SIM_INSTAGRAM_BUSINESS_ID", ACCOUNT,
                "SIM_ACCESS_TOKEN", TOKEN,
                "SIM_READ_DELAY_MS", "100"));
        registry.add("server.port", () -> PORT);
        registry.add("management.server.port", () -> MANAGEMENT_PORT);
        registry.add("hub.instagram.base-url", () -> simulator.url() + "/instagram");
        registry.add("hub.instagram.account-id", () -> ACCOUNT);
        registry.add("hub.instagram.access-token", () -> TOKEN);
        registry.add("hub.instagram.app-secret", () -> APP_SECRET);
        registry.add("hub.instagram.verify-token", () -> "test-verify-token");
    }

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUsesAndOwnItsTopics(TestStack stack) {
        ServiceChecks.assertHealthy(PORT, MANAGEMENT_PORT, "kafka", "db");
        ServiceChecks.assertTopicsExist(stack.kafkaBootstrapServers(), Topics.INSTAGRAM_STATUS.name(),
                Topics.INSTAGRAM_INBOUND.name(), Topics.INSTAGRAM_OUTBOUND.deadLetterTopic());
    }

    @Test
    void shouldSendInMetasShapeAndGoFromSentToReadWithoutDelivered(TestStack stack) {
        String igsid = newIgsid();
        ChannelOutbound delivery = delivery(igsid, "Seu pedido saiu para entrega");
        publish(stack, delivery);

        try (TopicEvents<DeliveryStatusChanged> events = statuses(stack, delivery.msgId())) {
            List<DeliveryStatusChanged> steps = events.await(2);
            assertThat(steps).extracting(DeliveryStatusChanged::status)
                    .containsExactly(DeliveryStatus.SENT, DeliveryStatus.READ);
            assertThat(steps.get(1).providerMessageId()).isEqualTo(steps.get(0).providerMessageId());
        }
        JsonNode request = requestsTo(igsid, 1).get(0);
        assertThat(request.path("body").path("recipient").path("id").asString()).isEqualTo(igsid);
        assertThat(request.path("body").path("message").path("text").asString()).isEqualTo("Seu pedido saiu para entrega");
        assertThat(request.path("path").asString()).endsWith("/" + ACCOUNT + "/messages");
    }

    @Test
    void shouldFailATextOverInstagramsThousandBytesWithTheProvidersReason(TestStack stack) {
        String igsid = newIgsid();
        ChannelOutbound tooLong = delivery(igsid, "é".repeat(501));
        publish(stack, tooLong);

        DeliveryStatusChanged failed = statuses(stack, tooLong.msgId()).await(1).get(0);
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("100");
        assertThat(failed.error().reason()).contains("1000");
    }

    @Test
    void shouldRefuseAnUnsignedWebhookAndPublishAnInboundMessage(TestStack stack) {
        String json = "{\"object\":\"instagram\",\"entry\":[]}";
        assertThat(adapter.postWithHeaders("/webhooks/instagram", Map.of("X-Hub-Signature-256",
                new WebhookSignature("forged").headerFor(json.getBytes(StandardCharsets.UTF_8))), json).status())
                .isEqualTo(401);

        String customer = newIgsid();
        HubApi.Response sent = new HubApi(simulator.url()).post("/_sim/instagram/inbound", null,
                "{\"sender\":\"" + customer + "\",\"recipient\":\"" + ACCOUNT + "\",\"text\":\"Oi!\"}");
        assertThat(sent.status()).isEqualTo(202);
        try (TopicEvents<InboundChannelMessage> inbound = TopicEvents.of(stack, Topics.INSTAGRAM_INBOUND.name(),
                Topics.INSTAGRAM_INBOUND.valueSerde().deserializer(), m -> m.fromAddress().equals(customer))) {
            InboundChannelMessage message = inbound.await(1).get(0);
            assertThat(message.toAddress()).isEqualTo(ACCOUNT);
            assertThat(message.payload()).isEqualTo(new Payload.Text("Oi!"));
        }
    }

    private static List<JsonNode> requestsTo(String recipient, int atLeast) {
        HubApi sim = new HubApi(simulator.url());
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            sim.get("/_sim/requests?channel=instagram&recipient=" + recipient, null).body().path("requests")
                    .forEach(found::add);
            return found.size() >= atLeast;
        });
        return found;
    }

    private static TopicEvents<DeliveryStatusChanged> statuses(TestStack stack, long msgId) {
        return TopicEvents.of(stack, Topics.INSTAGRAM_STATUS.name(), Topics.INSTAGRAM_STATUS.valueSerde().deserializer(),
                s -> s.msgId() == msgId);
    }

    private static void publish(TestStack stack, ChannelOutbound delivery) {
        try (KafkaProducer<UUID, ChannelOutbound> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                Topics.INSTAGRAM_OUTBOUND.keySerde().serializer(), Topics.INSTAGRAM_OUTBOUND.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.INSTAGRAM_OUTBOUND.name(), delivery.recipientId(), delivery));
        }
    }

    private static ChannelOutbound delivery(String igsid, String text) {
        return new ChannelOutbound(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), UUID.randomUUID(), UUID.randomUUID(), 1,
                UUID.randomUUID(), UUID.randomUUID(), Channel.INSTAGRAM, igsid, new Payload.Text(text));
    }

    private static String newIgsid() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, 9_000_000_000_000_000L));
    }
}

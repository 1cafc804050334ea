package io.chat4all.hub.whatsapp;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * channel-whatsapp against real Kafka and PostgreSQL and the provider simulator as its own process
 * (status webhooks switched off there, so each test drives the callbacks it needs, signed).
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class WhatsAppAdapterTest {

    private static final int PORT = Ports.freePort();
    private static final int MANAGEMENT_PORT = Ports.freePort();
    private static final String APP_SECRET = "test-whatsapp-app-secret";
    private static final String TOKEN = "test-access-token";
    private static final String PHONE_NUMBER_ID = "106540352242922";
    private static ServiceProcess simulator;

    @Autowired
    JdbcTemplate jdbc;

    private final HubApi adapter = new HubApi(PORT);
    private final WebhookSignature signature = new WebhookSignature(APP_SECRET);

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        simulator = ServiceProcess.start(HubService.PROVIDER_SIMULATOR, TestStack.get(), Map.of(
                "SIM_WHATSAPP_WEBHOOK_URL", "http://127.0.0.1:" + PORT + "/webhooks/whatsapp",
                "SIM_WHATSAPP_APP_SECRET", APP_SECRET,
                "SIM_ACCESS_TOKEN", TOKEN,
                "SIM_STATUS_WEBHOOKS", "false"));
        registry.add("server.port", () -> PORT);
        registry.add("management.server.port", () -> MANAGEMENT_PORT);
        registry.add("hub.whatsapp.base-url", () -> simulator.url() + "/whatsapp");
        registry.add("hub.whatsapp.phone-number-id", () -> PHONE_NUMBER_ID);
        registry.add("hub.whatsapp.access-token", () -> TOKEN);
        registry.add("hub.whatsapp.app-secret", () -> APP_SECRET);
        registry.add("hub.whatsapp.verify-token", () -> "test-verify-token");
        registry.add("hub.channel.messages-per-second", () -> "40");
        registry.add("hub.channel.burst", () -> "10");
    }

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUsesAndOwnItsTopics(TestStack stack) {
        ServiceChecks.assertHealthy(PORT, MANAGEMENT_PORT, "kafka", "db");
        ServiceChecks.assertTopicsExist(stack.kafkaBootstrapServers(), Topics.WHATSAPP_STATUS.name(),
                Topics.WHATSAPP_INBOUND.name(), Topics.WHATSAPP_OUTBOUND.deadLetterTopic());
    }

    @Test
    void shouldSendADeliveryOnceInMetasShapeEvenWhenTheRecordComesTwice(TestStack stack) {
        String number = newNumber();
        ChannelOutbound delivery = delivery("+" + number.substring(0, 2) + " " + number.substring(2), "Olá, pedido 4512");

        publish(stack, delivery);
        publish(stack, delivery);

        List<DeliveryStatusChanged> sent = statuses(stack, delivery.msgId()).await(1);
        assertThat(sent.get(0).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(sent.get(0).providerMessageId()).startsWith("wamid.");
        assertThat(sent.get(0).recipientId()).isEqualTo(delivery.recipientId());
        List<JsonNode> requests = requestsTo(number, 1);
        JsonNode body = requests.get(0).path("body");
        assertThat(body.path("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(body.path("to").asString()).isEqualTo(number);
        assertThat(body.path("type").asString()).isEqualTo("text");
        assertThat(body.path("text").path("body").asString()).isEqualTo("Olá, pedido 4512");
        assertThat(body.path("biz_opaque_callback_data").asString()).isEqualTo(delivery.deliveryId().toString());
        assertThat(requests.get(0).path("path").asString()).contains("/" + PHONE_NUMBER_ID + "/messages");
        try (TopicEvents<DeliveryStatusChanged> again = statuses(stack, delivery.msgId())) {
            // the second record may re-publish the settled outcome, under the same event id: one transition
            assertThat(again.settled(Duration.ofSeconds(2))).extracting(DeliveryStatusChanged::eventId)
                    .containsOnly(sent.get(0).eventId());
        }
        assertThat(requestsTo(number, 1)).hasSize(1);
    }

    @Test
    void shouldRefuseAWebhookWithAForgedOrMissingSignature() {
        String callback = statusCallback("wamid.forged", null, "read");

        assertThat(adapter.postWithHeaders("/webhooks/whatsapp", Map.of("X-Hub-Signature-256",
                new WebhookSignature("not-the-app-secret").headerFor(bytes(callback))), callback).status()).isEqualTo(401);
        HubApi.Response missing = adapter.postWithHeaders("/webhooks/whatsapp", Map.of(), callback);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(adapter.postWithHeaders("/webhooks/whatsapp", Map.of("X-Hub-Signature-256", signature.headerFor(bytes("[1,"))),
                "[1,").status()).as("signed but unreadable").isEqualTo(400);
    }

    @Test
    void shouldMoveStatusesOnlyForwardAndOnceWhateverOrderTheyCome(TestStack stack) {
        ChannelOutbound delivery = delivery(newNumber(), "out of order");
        publish(stack, delivery);
        String wamid = statuses(stack, delivery.msgId()).await(1).get(0).providerMessageId();

        assertThat(signedCallback(statusCallback(wamid, delivery.deliveryId(), "read")).status()).isEqualTo(200);
        assertThat(signedCallback(statusCallback(wamid, delivery.deliveryId(), "delivered")).status()).isEqualTo(200);
        assertThat(signedCallback(statusCallback(wamid, null, "read")).status()).isEqualTo(200);

        try (TopicEvents<DeliveryStatusChanged> events = statuses(stack, delivery.msgId())) {
            events.await(2);
            assertThat(events.settled(Duration.ofSeconds(2))).extracting(DeliveryStatusChanged::status)
                    .containsExactly(DeliveryStatus.SENT, DeliveryStatus.READ);
        }
        assertThat(jdbc.queryForObject("SELECT status FROM channel_deliveries WHERE delivery_id = ?", String.class,
                delivery.deliveryId())).isEqualTo("read");
    }

    @Test
    void shouldRetryWhileThrottledAndKeepToTheRateLimit(TestStack stack) {
        String number = newNumber();
        fault(number, "rate_limit", 2);
        ChannelOutbound throttled = delivery(number, "after two 429s");
        publish(stack, throttled);

        assertThat(statuses(stack, throttled.msgId()).await(1).get(0).status()).isEqualTo(DeliveryStatus.SENT);
        List<JsonNode> attempts = requestsTo(number, 3);
        assertThat(attempts).extracting(r -> r.path("status").asInt()).containsExactly(429, 429, 200);

        String burstNumber = newNumber();
        int count = 60;
        for (int i = 0; i < count; i++) {
            publish(stack, delivery(burstNumber, "burst " + i));
        }
        List<JsonNode> burst = requestsTo(burstNumber, count);
        Instant first = Instant.parse(burst.get(0).path("received_at").asString());
        Instant last = Instant.parse(burst.get(count - 1).path("received_at").asString());
        // 40/s with a burst of 10: the 50 calls after the burst need at least 50 / 40 s
        assertThat(Duration.between(first, last)).isGreaterThanOrEqualTo(Duration.ofMillis(1_200));
    }

    @Test
    void shouldFailADeliveryTheProviderRefusesForGood(TestStack stack) {
        String number = newNumber();
        fault(number, "permanent", 1);
        ChannelOutbound refused = delivery(number, "to a number without WhatsApp");
        publish(stack, refused);

        DeliveryStatusChanged failed = statuses(stack, refused.msgId()).await(1).get(0);
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("131026");
        assertThat(failed.error().reason()).containsIgnoringCase("undeliverable");
        assertThat(requestsTo(number, 1)).hasSize(1);
    }

    @Test
    void shouldFailAnEncryptedPayloadWithoutCallingTheProvider(TestStack stack) {
        String number = newNumber();
        ChannelOutbound sealed = new ChannelOutbound(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), UUID.randomUUID(), UUID.randomUUID(), 1,
                UUID.randomUUID(), UUID.randomUUID(), Channel.WHATSAPP, number,
                new Payload.Encrypted("q83vEjRWeJA=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "xsalsa20-poly1305"));
        publish(stack, sealed);

        DeliveryStatusChanged failed = statuses(stack, sealed.msgId()).await(1).get(0);
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("unsupported_payload");
        assertThat(new HubApi(simulator.url()).get("/_sim/requests?channel=whatsapp&recipient=" + number, null).body()
                .path("requests")).isEmpty();
        assertThat(adapter.get("/webhooks/instagram?hub.mode=subscribe&hub.verify_token=test-verify-token"
                + "&hub.challenge=1", null).status()).as("another channel's webhook is not served here").isEqualTo(404);
    }

    @Test
    void shouldFailADeliveryStillFailingAfterItsRetriesWithTheProvidersLastAnswer(TestStack stack) {
        String number = newNumber();
        fault(number, "server_error", 100);
        ChannelOutbound failing = delivery(number, "provider down");
        publish(stack, failing);

        try (TopicEvents<DeliveryStatusChanged> statuses = statuses(stack, failing.msgId())) {
            DeliveryStatusChanged failed = statuses.await(1).get(0);
            assertThat(failed.status()).as("not in_transit forever").isEqualTo(DeliveryStatus.FAILED);
            assertThat(failed.error().code()).isEqualTo("131000");
            assertThat(failed.error().reason()).startsWith("gave up after 4 attempts").contains("Something went wrong");
        }
        assertThat(requestsTo(number, 4)).as("max-attempts 4").hasSize(4);
        assertThat(jdbc.queryForObject("SELECT state FROM channel_deliveries WHERE delivery_id = ?", String.class,
                failing.deliveryId())).isEqualTo("failed");
    }

    @Test
    void shouldTurnAnInboundCustomerMessageIntoAnInboundEvent(TestStack stack) {
        String customer = newNumber();
        HubApi.Response sent = new HubApi(simulator.url()).post("/_sim/whatsapp/inbound", null,
                "{\"from\":\"" + customer + "\",\"phone_number_id\":\"" + PHONE_NUMBER_ID
                        + "\",\"text\":\"Where is my order?\",\"name\":\"Bruna\"}");
        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.body().path("webhook_status").asInt()).isEqualTo(200);

        try (TopicEvents<InboundChannelMessage> inbound = TopicEvents.of(stack, Topics.WHATSAPP_INBOUND.name(),
                Topics.WHATSAPP_INBOUND.valueSerde().deserializer(), m -> m.fromAddress().equals(customer))) {
            InboundChannelMessage message = inbound.await(1).get(0);
            assertThat(message.providerMessageId()).isEqualTo(sent.body().path("id").asString());
            assertThat(message.toAddress()).isNotBlank();
            assertThat(message.contactName()).isEqualTo("Bruna");
            assertThat(message.payload()).isEqualTo(new Payload.Text("Where is my order?"));
        }
    }

    /** A signed body stays valid forever: an inbound message older than the replay window is not taken again. */
    @Test
    void shouldDropInboundMessagesSentBeforeTheReplayWindow(TestStack stack) {
        String customer = newNumber();
        long stale = Instant.now().minus(Duration.ofDays(8)).getEpochSecond();
        long fresh = Instant.now().getEpochSecond();
        String staleId = "wamid.stale-" + UUID.randomUUID();
        String freshId = "wamid.fresh-" + UUID.randomUUID();

        HubApi.Response mixed = signedCallback(inboundCallback(customer, inboundMessage(customer, staleId, stale) + ","
                + inboundMessage(customer, freshId, fresh)));
        HubApi.Response onlyStale = signedCallback(inboundCallback(customer, inboundMessage(customer, staleId, stale)));

        assertThat(mixed.status()).isEqualTo(200);
        assertThat(onlyStale.status()).isEqualTo(400);
        assertThat(onlyStale.contentType()).startsWith("application/problem+json");
        try (TopicEvents<InboundChannelMessage> inbound = TopicEvents.of(stack, Topics.WHATSAPP_INBOUND.name(),
                Topics.WHATSAPP_INBOUND.valueSerde().deserializer(), m -> m.fromAddress().equals(customer))) {
            inbound.await(1);
            assertThat(inbound.settled(Duration.ofSeconds(3))).extracting(InboundChannelMessage::providerMessageId)
                    .containsExactly(freshId);
        }
    }

    private static String inboundCallback(String customer, String messages) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550001000\","
                + "\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},\"contacts\":[{\"profile\":{\"name\":\"Old\"},\"wa_id\":\""
                + customer + "\"}],\"messages\":[" + messages + "]}}]}]}";
    }

    private static String inboundMessage(String customer, String id, long epochSecond) {
        return "{\"from\":\"" + customer + "\",\"id\":\"" + id + "\",\"timestamp\":\"" + epochSecond
                + "\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}";
    }

    @Test
    void shouldAnswerMetasVerificationHandshakeOnlyForTheVerifyToken() {
        HubApi.Response ok = adapter.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token"
                + "&hub.challenge=1158201444", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.raw()).isEqualTo("1158201444");
        assertThat(adapter.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", null)
                .status()).isEqualTo(403);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void shouldNotLetAnEchoedHubModeForgeALogLine(CapturedOutput output) {
        assertThat(adapter.get("/webhooks/whatsapp?hub.mode=subscribe%0D%0A2026-12-07T00:00:00.000Z%20ERROR%20forged"
                + "&hub.verify_token=guess&hub.challenge=1", null).status()).isEqualTo(403);

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("webhook verification refused"));
        assertThat(output.getOut()).doesNotContain(System.lineSeparator() + "2026-12-07T00:00:00.000Z ERROR forged")
                .contains("subscribe\\u000d\\u000a2026-12-07T00:00:00.000Z ERROR forged");
    }

    private HubApi.Response signedCallback(String json) {
        return adapter.postWithHeaders("/webhooks/whatsapp", Map.of("X-Hub-Signature-256", signature.headerFor(bytes(json))), json);
    }

    private static String statusCallback(String wamid, UUID deliveryId, String status) {
        String opaque = deliveryId == null ? "" : ",\"biz_opaque_callback_data\":\"" + deliveryId + "\"";
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"waba\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550001000\","
                + "\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\""
                + status + "\",\"timestamp\":\"" + Instant.now().getEpochSecond() + "\",\"recipient_id\":\"5511\"" + opaque
                + "}]}}]}]}";
    }

    private static void fault(String recipient, String kind, int times) {
        HubApi.Response added = new HubApi(simulator.url()).post("/_sim/faults", null, "{\"channel\":\"whatsapp\","
                + "\"recipient\":\"" + recipient + "\",\"kind\":\"" + kind + "\",\"times\":" + times + "}");
        assertThat(added.status()).isEqualTo(201);
    }

    private static List<JsonNode> requestsTo(String recipient, int atLeast) {
        HubApi sim = new HubApi(simulator.url());
        List<JsonNode>[] found = new List[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<JsonNode> requests = new java.util.ArrayList<>();
            sim.get("/_sim/requests?channel=whatsapp&recipient=" + recipient, null).body().path("requests")
                    .forEach(requests::add);
            found[0] = requests;
            return requests.size() >= atLeast;
        });
        return found[0];
    }

    private static TopicEvents<DeliveryStatusChanged> statuses(TestStack stack, long msgId) {
        return TopicEvents.of(stack, Topics.WHATSAPP_STATUS.name(), Topics.WHATSAPP_STATUS.valueSerde().deserializer(),
                s -> s.msgId() == msgId);
    }

    private static void publish(TestStack stack, ChannelOutbound delivery) {
        try (KafkaProducer<UUID, ChannelOutbound> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                Topics.WHATSAPP_OUTBOUND.keySerde().serializer(), Topics.WHATSAPP_OUTBOUND.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.WHATSAPP_OUTBOUND.name(), delivery.recipientId(), delivery));
        }
    }

    private static ChannelOutbound delivery(String address, String text) {
        long msgId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        return new ChannelOutbound(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), msgId, UUID.randomUUID(),
                UUID.randomUUID(), 1, UUID.randomUUID(), UUID.randomUUID(), Channel.WHATSAPP, address,
                new Payload.Text(text));
    }

    private static String newNumber() {
        return "55119" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}

package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.junit.TopicEvents;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@code POST /v1/messages} on the gateway alone: validation, acceptance into the real log,
 * idempotency. Routing and storage through the whole pipeline are covered end to end in the
 * e2e tests.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class MessagesTest {

    @Value("${local.server.port}")
    int port;
    @Autowired
    JdbcTemplate jdbc;
    private HubApi api;
    private UUID alice;
    private UUID bob;
    private String bobToken;
    private String aliceToken;
    private String carolToken;
    private String conversation;
    private String adminToken;

    @BeforeEach
    void createConversation() {
        api = new HubApi(port);
        adminToken = api.login("admin", "test-admin-password");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        alice = api.createUser(adminToken, "alice-" + suffix, "alice-password");
        bob = api.createUser(adminToken, "bob-" + suffix, "bob-password");
        api.createUser(adminToken, "carol-" + suffix, "carol-password");
        aliceToken = api.login("alice-" + suffix, "alice-password");
        carolToken = api.login("carol-" + suffix, "carol-password");
        bobToken = api.login("bob-" + suffix, "bob-password");
        conversation = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}")
                .body().path("conversation_id").asString();
    }

    @Test
    void shouldAcceptOnlyAfterTheBrokerHasItAndAnswerRetriesWithTheOriginalReceipt(TestStack stack) {
        UUID messageId = UUID.randomUUID();
        String body = message(messageId, "{\"type\":\"text\",\"text\":\"Olá, tudo bem?\"}", "\"metadata\":{\"order\":42}");

        HubApi.Response first = api.post("/v1/messages", aliceToken, body);
        HubApi.Response retry = api.post("/v1/messages", aliceToken, body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.body().path("status").asString()).isEqualTo("accepted");
        assertThat(first.body().path("message_id").asString()).isEqualTo(messageId.toString());
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(first.body());

        List<MessageAccepted> events;
        try (TopicEvents<MessageAccepted> published = TopicEvents.of(stack, Topics.MESSAGES_ACCEPTED.name(),
                Topics.MESSAGES_ACCEPTED.valueSerde().deserializer(), e -> e.messageId().equals(messageId))) {
            published.await(1);
            events = published.settled(Duration.ofSeconds(1));
        }
        assertThat(events).as("the retry republishes the identical event (the router drops the copy), never another")
                .hasSizeBetween(1, 2).allSatisfy(e -> assertThat(e).isEqualTo(events.get(0)));
        assertThat(events.get(0).senderId()).isEqualTo(alice);
        assertThat(events.get(0).membershipVersion()).isEqualTo(1);
        assertThat(((Payload.Text) events.get(0).payload()).text()).isEqualTo("Olá, tudo bem?");

        HubApi.Response changed = api.post("/v1/messages", aliceToken,
                message(messageId, "{\"type\":\"text\",\"text\":\"something else\"}", "\"metadata\":{\"order\":42}"));
        assertThat(changed.status()).isEqualTo(409);
        assertThat(api.get("/v1/messages/" + messageId, aliceToken).body().path("status").asString())
                .as("accepted, not stored yet in this test (no router here)").isEqualTo("accepted");
    }

    @Test
    void shouldLetOneOfConcurrentRequestsWithDifferentBodiesUnderOneMessageIdThroughAndPublishOnlyIt(TestStack stack) {
        UUID messageId = UUID.randomUUID();
        List<String> bodies = List.of(message(messageId, "{\"type\":\"text\",\"text\":\"first version\"}", "\"metadata\":{}"),
                message(messageId, "{\"type\":\"text\",\"text\":\"second version\"}", "\"metadata\":{}"));
        List<CompletableFuture<HubApi.Response>> racing = IntStream.range(0, 12)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> api.post("/v1/messages", aliceToken, bodies.get(i % 2))))
                .toList();
        List<HubApi.Response> responses = racing.stream().map(CompletableFuture::join).toList();

        List<Integer> winners = IntStream.range(0, responses.size()).filter(i -> responses.get(i).status() == 202).boxed().toList();
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isIn(202, 409));
        assertThat(winners).isNotEmpty();
        assertThat(winners.stream().map(i -> i % 2).distinct()).as("only one body wins").hasSize(1);
        assertThat(winners.stream().map(i -> responses.get(i).body()).distinct()).as("one receipt").hasSize(1);
        String winningText = winners.get(0) % 2 == 0 ? "first version" : "second version";
        try (TopicEvents<MessageAccepted> events = TopicEvents.of(stack, Topics.MESSAGES_ACCEPTED.name(),
                Topics.MESSAGES_ACCEPTED.valueSerde().deserializer(), e -> e.messageId().equals(messageId))) {
            events.await(1);
            List<MessageAccepted> published = events.settled(Duration.ofSeconds(2));
            assertThat(published).as("the losing body is never published")
                    .allSatisfy(e -> assertThat(((Payload.Text) e.payload()).text()).isEqualTo(winningText));
            assertThat(published).extracting(MessageAccepted::msgId).as("every copy is the same message, one per 202")
                    .hasSize(winners.size()).containsOnly(published.get(0).msgId());
        }
    }

    @Test
    void shouldScopeAMessageIdToItsSender(TestStack stack) {
        UUID messageId = UUID.randomUUID();
        HubApi.Response fromAlice = api.post("/v1/messages", aliceToken,
                message(messageId, "{\"type\":\"text\",\"text\":\"alice\"}", "\"metadata\":{}"));
        HubApi.Response fromBob = api.post("/v1/messages", bobToken,
                message(messageId, "{\"type\":\"text\",\"text\":\"bob\"}", "\"metadata\":{}"));

        assertThat(fromAlice.status()).isEqualTo(202);
        assertThat(fromBob.status()).as("another sender's id neither conflicts nor leaks").isEqualTo(202);
        List<MessageAccepted> events = KafkaEvents.await(stack, Topics.MESSAGES_ACCEPTED, e -> e.messageId().equals(messageId), 2);
        assertThat(events).extracting(MessageAccepted::senderId).containsExactlyInAnyOrder(alice, bob);
        assertThat(api.get("/v1/messages/" + messageId, bobToken).body().path("from").asString()).isEqualTo(bob.toString());
    }

    @Test
    void shouldPublishAClaimedMessageUnderItsOriginalIdWhenTheClaimantDiedBeforeTheAck(TestStack stack) {
        String body = "{\"type\":\"text\",\"text\":\"claimed, then the gateway died\"}";
        UUID probe = UUID.randomUUID();
        assertThat(api.post("/v1/messages", aliceToken, message(probe, body, "\"metadata\":{}")).status()).isEqualTo(202);
        String hash = jdbc.queryForObject("SELECT request_hash FROM message_claims WHERE message_id = ?", String.class, probe);
        UUID messageId = UUID.randomUUID();
        long msgId = 4_242_424_242L;
        Instant claimedAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("INSERT INTO message_claims (message_id, sender_id, msg_id, conversation_id, membership_version,"
                + " request_hash, accepted_at) VALUES (?, ?, ?, ?::uuid, 1, ?, ?)", messageId, alice, msgId, conversation,
                hash, Timestamp.from(claimedAt));

        HubApi.Response retry = api.post("/v1/messages", aliceToken, message(messageId, body, "\"metadata\":{}"));

        assertThat(retry.status()).isEqualTo(202);
        assertThat(Instant.parse(retry.body().path("accepted_at").asString())).isEqualTo(claimedAt);
        List<MessageAccepted> events = KafkaEvents.await(stack, Topics.MESSAGES_ACCEPTED, e -> e.messageId().equals(messageId), 1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.msgId()).as("the id of the claim, not a new one").isEqualTo(msgId);
            assertThat(e.occurredAt()).isEqualTo(claimedAt);
            assertThat(e.requestHash()).isEqualTo(hash);
        });
    }

    @Test
    void shouldNameEachInvalidFieldAndRefuseOversizedOrForeignInput() {
        HubApi.Response invalid = api.post("/v1/messages", aliceToken, "{\"message_id\":\"nope\",\"payload\":{\"type\":\"text\"},"
                + "\"channels\":[\"fax\"],\"metadata\":[1]}");
        assertThat(invalid.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        invalid.body().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("message_id", "conversation_id", "payload.text", "channels", "metadata");

        String bigText = "x".repeat(64 * 1024 + 1);
        assertThat(api.post("/v1/messages", aliceToken, message(UUID.randomUUID(),
                "{\"type\":\"text\",\"text\":\"" + bigText + "\"}", "\"metadata\":{}")).status()).isEqualTo(413);
        assertThat(api.post("/v1/messages", aliceToken, message(UUID.randomUUID(), "{\"type\":\"text\",\"text\":\"hi\"}",
                "\"metadata\":{\"blob\":\"" + "y".repeat(5000) + "\"}")).status()).isEqualTo(413);
        assertThat(api.post("/v1/messages", aliceToken, "text/plain", "hello").status()).isEqualTo(415);
        assertThat(api.post("/v1/messages", aliceToken, "{\"message_id\":").status()).isEqualTo(400);
        assertThat(api.post("/v1/messages", carolToken, message(UUID.randomUUID(), "{\"type\":\"text\",\"text\":\"hi\"}",
                "\"metadata\":{}")).status()).as("a non-member cannot even learn that the conversation exists").isEqualTo(404);
        assertThat(api.post("/v1/messages", aliceToken, message(UUID.randomUUID(), "{\"type\":\"text\",\"text\":\"hi\"}",
                "\"from\":\"" + UUID.randomUUID() + "\"")).status()).isEqualTo(403);
    }

    @Test
    void shouldRefuseTextTheEnginesCannotHoldNamingTheFieldAndAcceptRealSurrogatePairs() {
        assertRefused(api.post("/v1/messages", aliceToken, message(UUID.randomUUID(),
                "{\"type\":\"text\",\"text\":\"before\\u0000after\"}", "\"metadata\":{}")), "payload.text", "U+0000");
        assertRefused(api.post("/v1/messages", aliceToken, message(UUID.randomUUID(),
                "{\"type\":\"text\",\"text\":\"hi\"}", "\"metadata\":{\"note\":[\"ok\",\"\\ud800 alone\"]}")),
                "metadata.note.1", "unpaired surrogate");
        assertRefused(api.post("/v1/messages", aliceToken, message(UUID.randomUUID(),
                "{\"type\":\"text\",\"text\":\"hi\"}", "\"metadata\":{\"k\\u0000\":1}")), "metadata.k\uFFFD", "the key");
        assertRefused(api.post("/v1/messages", aliceToken, message(UUID.randomUUID(),
                "{\"type\":\"text\",\"text\":\"\\udc00\"}", "\"metadata\":{}")), "payload.text", "unpaired surrogate");
        assertRefused(api.post("/v1/users", adminToken, "{\"username\":\"dave\",\"password\":\"dave-password\","
                + "\"display_name\":\"Dave\\u0000\"}"), "display_name", "U+0000");
        assertRefused(api.post("/v1/files", aliceToken, "{\"filename\":\"a.txt\",\"size\":3,"
                + "\"content_type\":\"text/plain\\r\\nX-Evil: 1\",\"sha256\":\"" + "a".repeat(64) + "\"}"),
                "content_type", "media type");
        assertRefused(api.post("/v1/files", aliceToken, "{\"filename\":\"a\\u0000.txt\",\"size\":3,"
                + "\"content_type\":\"text/plain\",\"sha256\":\"" + "a".repeat(64) + "\"}"), "filename", "U+0000");
        assertRefused(api.get("/v1/search?q=a%00b", aliceToken), "q", "U+0000");

        HubApi.Response emoji = api.post("/v1/messages", aliceToken, message(UUID.randomUUID(),
                "{\"type\":\"text\",\"text\":\"ok \\ud83d\\ude00\"}", "\"metadata\":{\"mood\":\"\\ud83d\\ude00\"}"));
        assertThat(emoji.status()).as(emoji.raw()).isEqualTo(202);
    }

    private static void assertRefused(HubApi.Response response, String field, String why) {
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().path("errors").get(0).path("field").asString()).as(response.raw()).isEqualTo(field);
        assertThat(response.body().path("errors").get(0).path("message").asString()).contains(why);
    }

    @Test
    void shouldAcceptEncryptedPayloadsAndLetAnIntegratorSendForAMember() {
        String key = api.post("/v1/api-keys", adminToken, "{\"name\":\"crm\"}").body().path("api_key").asString();

        HubApi.Response encrypted = api.post("/v1/messages", key, message(UUID.randomUUID(),
                "{\"type\":\"encrypted\",\"ciphertext\":\"q83vEjRWeJA=\",\"nonce\":\"AAECAwQFBgcICQoL\",\"alg\":\"xsalsa20-poly1305\"}",
                "\"from\":\"" + alice + "\""));
        assertThat(encrypted.status()).isEqualTo(202);
        HubApi.Response withoutFrom = api.post("/v1/messages", key, message(UUID.randomUUID(), "{\"type\":\"text\",\"text\":\"hi\"}",
                "\"metadata\":{}"));
        assertThat(withoutFrom.status()).isEqualTo(400);
        assertThat(withoutFrom.body().path("errors").get(0).path("field").asString()).isEqualTo("from");
    }

    private String message(UUID messageId, String payload, String extra) {
        return "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":" + payload
                + "," + extra + "}";
    }
}

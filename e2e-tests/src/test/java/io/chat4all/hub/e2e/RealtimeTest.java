package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Real time over Server-Sent Events, through the whole pipeline: members receive what another
 * member sends, in order, with cursors; a non-member receives nothing; a client that reconnects
 * with its last cursor gets exactly what it missed and then live events; a client of one gateway
 * instance receives what was sent through another.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private HubApi api;
    private String gatewayUrl;
    private String alice;
    private String bob;
    private String carol;
    private String conversation;

    @BeforeAll
    void users(TestStack stack) {
        Pipeline pipeline = Pipeline.get(stack);
        api = pipeline.api();
        gatewayUrl = pipeline.gatewayUrl();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, "rt-alice-" + suffix, "alice-password");
        UUID bobId = api.createUser(admin, "rt-bob-" + suffix, "bob-password");
        api.createUser(admin, "rt-carol-" + suffix, "carol-password");
        alice = api.login("rt-alice-" + suffix, "alice-password");
        bob = api.login("rt-bob-" + suffix, "bob-password");
        carol = api.login("rt-carol-" + suffix, "carol-password");
        conversation = api.post("/v1/conversations", alice, "{\"type\":\"private\",\"members\":[\"" + bobId + "\"]}")
                .body().path("conversation_id").asString();
    }

    @Test
    void shouldStreamEachMessageToMembersOnlyInOrderAndReplayExactlyWhatWasMissed() throws Exception {
        String cursor;
        try (SseClient bobStream = SseClient.open(gatewayUrl, bob, null);
             SseClient carolStream = SseClient.open(gatewayUrl, carol, null)) {
            assertThat(bobStream.take("ready", 1, WAIT).get(0).path("cursor").asString()).isNotEmpty();
            carolStream.take("ready", 1, WAIT);
            List<String> sent = send("live", 5);
            List<JsonNode> received = bobStream.take("message", 5, WAIT);
            assertThat(received).extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(sent);
            assertThat(received).extracting(m -> m.path("seq").asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(received).allSatisfy(m -> {
                assertThat(m.path("cursor").asString()).isNotEmpty();
                assertThat(m.path("conversation_id").asString()).isEqualTo(conversation);
                assertThat(m.path("payload").path("text").asString()).startsWith("live ");
            });
            assertThat(carolStream.pending()).as("a non-member receives nothing")
                    .noneMatch(f -> "message".equals(f.path("type").asString()));
            cursor = received.get(received.size() - 1).path("cursor").asString();
        }

        List<String> missed = send("missed", 20);
        try (SseClient again = SseClient.open(gatewayUrl, bob, cursor)) {
            again.take("ready", 1, WAIT);
            List<JsonNode> replayed = again.take("message", 20, WAIT);
            assertThat(replayed).as("exactly what was missed, in order")
                    .extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(missed);
            List<String> later = send("after", 3);
            List<JsonNode> live = again.take("message", 3, WAIT);
            assertThat(live).extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(later);
            assertThat(again.next(Duration.ofSeconds(2))).as("nothing twice").isNull();
        }
    }

    @Test
    void shouldDeliverThroughAnotherGatewayInstanceWhatWasSentThroughThisOne(TestStack stack) throws Exception {
        ServiceProcess second = ServiceProcess.start(HubService.API_GATEWAY, stack, Pipeline.gatewayEnvironment("4"));
        try (SseClient onSecond = SseClient.open(second.url(), bob, null)) {
            onSecond.take("ready", 1, WAIT);
            List<String> sent = send("across", 4);
            assertThat(onSecond.take("message", 4, WAIT)).extracting(m -> m.path("message_id").asString())
                    .containsExactlyElementsOf(sent);
        } finally {
            second.close();
        }
    }

    @Test
    void shouldRejectBadStreamRequestsWithProblemDetails() throws Exception {
        for (String bad : List.of("garbage", "czF8MHx4", "czJ8MHwx")) {
            HttpResponse<InputStream> response = SseClient.request(gatewayUrl, bob, bad);
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(bad + ": " + body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(SseClient.request(gatewayUrl, "not-a-token", null).statusCode()).isEqualTo(401);
    }

    private List<String> send(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = UUID.randomUUID().toString();
            HubApi.Response response = api.post("/v1/messages", alice, "{\"message_id\":\"" + id + "\",\"conversation_id\":\""
                    + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + prefix + " " + i + "\"}}");
            assertThat(response.status()).isEqualTo(202);
            ids.add(id);
        }
        return ids;
    }
}

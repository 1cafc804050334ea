package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Real time over Server-Sent Events and WebSocket, through the whole pipeline: members receive what another
 * member sends, in order, with cursors; a non-member receives nothing; a client that reconnects
 * with its last cursor gets exactly what it missed and then live events; a client of one gateway
 * instance receives what was sent through another; a client that never reads is cut off once its
 * buffer is full.
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
    private UUID bobId;
    private UUID carolId;

    @BeforeAll
    void users(TestStack stack) {
        Pipeline pipeline = Pipeline.get(stack);
        api = pipeline.api();
        gatewayUrl = pipeline.gatewayUrl();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, "rt-alice-" + suffix, "alice-password");
        bobId = api.createUser(admin, "rt-bob-" + suffix, "bob-password");
        carolId = api.createUser(admin, "rt-carol-" + suffix, "carol-password");
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
            List<JsonNode> statuses = bobStream.take("status", 5, WAIT);
            assertThat(statuses).as("each message's status steps reach the members too")
                    .allSatisfy(st -> assertThat(st.path("status").asString()).isEqualTo("in_transit"))
                    .extracting(st -> st.path("message_id").asString()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(carolStream.pending()).as("a non-member receives nothing")
                    .noneMatch(f -> List.of("message", "status").contains(f.path("type").asString()));
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
            awaitStatuses(again.frames(), later);
            assertThat(again.pending()).as("nothing twice")
                    .noneMatch(f -> "message".equals(f.path("type").asString()));
        }
    }

    @Test
    void shouldCloseAReplayWhileStorageIsBehindRatherThanSkipWhatIsNotStoredYet(TestStack stack) throws Exception {
        Pipeline pipeline = Pipeline.get(stack);
        String cursor;
        try (SseClient before = SseClient.open(gatewayUrl, bob, null)) {
            cursor = before.take("ready", 1, WAIT).get(0).path("cursor").asString();
        }
        List<String> missed;
        pipeline.storageWriter.kill();
        try (SseClient live = SseClient.open(gatewayUrl, bob, null)) {
            live.take("ready", 1, WAIT);
            missed = send("unstored", 3);
            assertThat(live.take("message", 3, WAIT)).as("live events do not wait for storage")
                    .extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(missed);
            try (SseClient behind = SseClient.open(gatewayUrl, bob, cursor)) {
                behind.take("ready", 1, WAIT);
                assertThat(behind.take("error", 1, WAIT).get(0).path("reason").asString())
                        .as("replaying now would skip the copies storage has not written").startsWith("storage_behind");
                assertThat(behind.pending()).noneMatch(f -> "message".equals(f.path("type").asString()));
            }
        } finally {
            pipeline.storageWriter.start();
        }
        // A client retries after storage_behind; here: once bob's copies are stored (a killed
        // consumer's partitions move to its successor only after the group notices).
        await().atMost(Duration.ofMinutes(2)).until(() -> api.get("/v1/messages/" + missed.get(2), bob).status() == 200);
        try (SseClient again = SseClient.open(gatewayUrl, bob, cursor)) {
            again.take("ready", 1, WAIT);
            assertThat(again.take("message", 3, WAIT)).as("once storage caught up, exactly what was missed")
                    .extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(missed);
        }
    }

    @Test
    void shouldReplayFromACursorTheCopiesArchivedSinceIt(TestStack stack) throws Exception {
        Pipeline pipeline = Pipeline.get(stack);
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        UUID daveId = api.createUser(admin, "rt-dave-" + suffix, "dave-password");
        String dave = api.login("rt-dave-" + suffix, "dave-password");
        String chat = api.post("/v1/conversations", alice, "{\"type\":\"private\",\"members\":[\"" + daveId + "\"]}")
                .body().path("conversation_id").asString();
        String cursor;
        try (SseClient stream = SseClient.open(gatewayUrl, dave, null)) {
            stream.take("ready", 1, WAIT);
            sendTo(chat, "seen", 1);
            cursor = stream.take("message", 1, WAIT).get(0).path("cursor").asString();
        }
        List<String> missed = new ArrayList<>(sendTo(chat, "archived", 12));
        String hotCopies = "SELECT count(*) FROM participant_messages WHERE owner_id = ?";
        await().atMost(WAIT).until(() -> Pipeline.count(stack, hotCopies, daveId) == 13);
        pipeline.archiveNow(stack, admin, daveId, 5, WAIT);
        assertThat(Pipeline.count(stack, hotCopies, daveId)).as("dave's copies, the cursor's own included, left PostgreSQL")
                .isZero();
        missed.addAll(sendTo(chat, "hot", 3));

        List<JsonNode> replayed;
        try (SseClient again = SseClient.open(gatewayUrl, dave, cursor)) {
            again.take("ready", 1, WAIT);
            replayed = again.take("message", 15, WAIT);
            assertThat(replayed).as("the archived copies after the cursor, then the hot ones, in order")
                    .extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(missed);
            assertThat(replayed).extracting(m -> m.path("seq").asLong()).containsExactlyElementsOf(seqs(2, 16));
            assertThat(replayed).extracting(m -> m.path("cursor").asString()).doesNotHaveDuplicates()
                    .doesNotContain(cursor);
            List<String> later = sendTo(chat, "live", 2);
            assertThat(again.take("message", 2, WAIT)).extracting(m -> m.path("message_id").asString())
                    .containsExactlyElementsOf(later);
            missed.addAll(later);
        }
        try (SseClient fromArchive = SseClient.open(gatewayUrl, dave, replayed.get(5).path("cursor").asString())) {
            fromArchive.take("ready", 1, WAIT);
            assertThat(fromArchive.take("message", 11, WAIT)).as("a cursor inside the archive resumes right after it")
                    .extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(missed.subList(6, 17));
        }
    }

    @Test
    void shouldDeliverThroughAnotherInstanceAndCloseClientsThatNeverReadOrVanished(TestStack stack) throws Exception {
        Map<String, String> environment = Pipeline.gatewayEnvironment("4");
        environment.put("HUB_REALTIME_BUFFER", "16");
        environment.put("HUB_REALTIME_HEARTBEAT", "1s");
        ServiceProcess second = ServiceProcess.start(HubService.API_GATEWAY, stack, environment);
        try {
            try (SseClient onSecond = SseClient.open(second.url(), bob, null)) {
                onSecond.take("ready", 1, WAIT);
                List<String> sent = send("across", 4);
                assertThat(onSecond.take("message", 4, WAIT)).as("sent through the first instance, received on the second")
                        .extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(sent);
            }
            await().atMost(WAIT).until(() -> metric(second.managementUrl(), "hub_realtime_connections") == 0);

            try (Socket stuck = new Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", second.port()));
                stuck.getOutputStream().write(("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + bob
                        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                await().atMost(WAIT).until(() -> metric(second.managementUrl(), "hub_realtime_connections") == 1);
                String big = "x".repeat(14_000);
                for (int i = 0; i < 400 && metric(second.managementUrl(), "hub_realtime_connections") == 1; i++) {
                    send(big, 1);
                }
                await().atMost(WAIT).alias("the stream of a client that never reads is closed once its buffer is full")
                        .until(() -> metric(second.managementUrl(), "hub_realtime_connections") == 0);
                stuck.setSoTimeout((int) WAIT.toMillis());
                assertThat(readUntil(stuck.getInputStream(), "slow_consumer"))
                        .as("and its last frame says why").contains("slow_consumer");
            }

            try (WsClient vanished = WsClient.connect(second.url(), bob, false);
                 WsClient alive = WsClient.connect(second.url(), alice, true)) {
                vanished.send("{\"type\":\"subscribe\"}");
                vanished.take("ack", 1, WAIT);
                alive.send("{\"type\":\"subscribe\"}");
                alive.take("ack", 1, WAIT);
                vanished.stopReading(); // no more pongs, as from a client whose network went away
                await().atMost(WAIT).alias("a WebSocket silent for 3 heartbeats is closed; one answering pings is not")
                        .until(() -> metric(second.managementUrl(), "hub_realtime_connections") == 1);
                await().alias("the answering one stays open").during(Duration.ofSeconds(2)).atMost(WAIT)
                        .until(() -> metric(second.managementUrl(), "hub_realtime_connections") == 1);
                List<String> sent = send("alive", 1);
                assertThat(alive.take("message", 1, WAIT)).as("after more than 3 heartbeats, still served")
                        .extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(sent);
            }
        } finally {
            second.close();
        }
    }

    @Test
    void shouldServeWebSocketSubscriptionsWithReplayBySeqAndKeepNonMembersOut() throws Exception {
        try (WsClient bobAll = WsClient.connect(gatewayUrl, bob, false);
             WsClient carolWs = WsClient.connect(gatewayUrl, carol, true)) {
            assertThat(bobAll.subprotocol()).isEqualTo("chat4all.v1");
            bobAll.send("{\"type\":\"subscribe\"}");
            assertThat(bobAll.take("ack", 1, WAIT).get(0).path("cursor").asString()).isNotEmpty();
            carolWs.send("{\"type\":\"subscribe\",\"conversation_id\":\"" + conversation + "\",\"after_seq\":0}");
            assertThat(carolWs.take("error", 1, WAIT).get(0).path("code").asString())
                    .as("a non-member's subscription to the conversation").isEqualTo("not_found");
            carolWs.send("{\"type\":\"subscribe\"}");
            carolWs.take("ack", 1, WAIT);

            List<String> sent = send("ws", 3);
            List<JsonNode> received = bobAll.take("message", 3, WAIT);
            assertThat(received).extracting(m -> m.path("message_id").asString()).containsExactlyElementsOf(sent);
            assertThat(received).allSatisfy(m -> assertThat(m.path("cursor").asString()).isNotEmpty());

            try (WsClient history = WsClient.connect(gatewayUrl, bob, true)) {
                history.send("{\"type\":\"subscribe\",\"conversation_id\":\"" + conversation + "\",\"after_seq\":0}");
                history.take("ack", 1, WAIT);
                long stored = received.get(received.size() - 1).path("seq").asLong();
                List<JsonNode> replayed = history.take("message", (int) stored, WAIT);
                assertThat(replayed).extracting(m -> m.path("seq").asLong())
                        .as("the whole history, each seq once, in order").containsExactlyElementsOf(seqs(1, stored));
                List<String> later = send("ws-live", 2);
                assertThat(history.take("message", 2, WAIT)).extracting(m -> m.path("message_id").asString())
                        .containsExactlyElementsOf(later);
                awaitStatuses(history.frames(), later);
                assertThat(history.pending()).as("nothing twice")
                        .noneMatch(f -> "message".equals(f.path("type").asString()));
            }
            assertThat(carolWs.pending()).as("a non-member receives nothing")
                    .noneMatch(f -> List.of("message", "status").contains(f.path("type").asString()));

            bobAll.send("{\"type\":\"ping\"}");
            bobAll.take("pong", 1, WAIT);
        }
    }

    @Test
    void shouldAnswerBadWebSocketFramesWithErrorsAndCloseOnRepeatedAbuse() throws Exception {
        try (WsClient abuser = WsClient.connect(gatewayUrl, carol, false)) {
            abuser.send("not json");
            assertThat(abuser.take("error", 1, WAIT).get(0).path("code").asString()).isEqualTo("bad_frame");
            abuser.send("{\"type\":\"subscribe\",\"conversation_id\":\"nope\"}");
            abuser.send("{\"type\":\"subscribe\",\"after_seq\":-1}");
            abuser.send("{\"type\":\"dance\"}");
            abuser.send("{}");
            assertThat(abuser.closeCode(WAIT)).as("closed after repeated bad frames (policy violation)").isEqualTo(1008);
        }
        assertThatThrownBy(() -> WsClient.connect(gatewayUrl, "not-a-token", true))
                .as("no valid token, no handshake").hasStackTraceContaining("status code 401");
    }

    @Test
    void shouldStopStreamingAGroupToAMemberRemovedFromIt() throws Exception {
        String group = api.post("/v1/conversations", alice, "{\"type\":\"group\",\"name\":\"rt-group\",\"members\":[\""
                + bobId + "\",\"" + carolId + "\"]}").body().path("conversation_id").asString();
        try (SseClient bobStream = SseClient.open(gatewayUrl, bob, null);
             SseClient carolStream = SseClient.open(gatewayUrl, carol, null)) {
            bobStream.take("ready", 1, WAIT);
            carolStream.take("ready", 1, WAIT);
            List<String> before = sendTo(group, "before removal", 1);
            assertThat(carolStream.take("message", 1, WAIT).get(0).path("message_id").asString()).isEqualTo(before.get(0));
            awaitStatuses(carolStream.frames(), before);

            assertThat(api.delete("/v1/conversations/" + group + "/members/" + carolId, alice).status()).isEqualTo(204);
            List<String> after = sendTo(group, "after removal", 3);
            bobStream.take("message", 1, WAIT);
            assertThat(bobStream.take("message", 3, WAIT)).extracting(m -> m.path("message_id").asString())
                    .containsExactlyElementsOf(after);
            awaitStatuses(bobStream.frames(), after);
            assertThat(carolStream.pending()).as("the removed member receives nothing of the group any more")
                    .noneMatch(f -> group.equals(f.path("conversation_id").asString()));
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
        HttpResponse<InputStream> good = SseClient.request(gatewayUrl, bob, null);
        try (InputStream body = good.body()) {
            assertThat(good.statusCode()).isEqualTo(200);
            assertThat(good.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(good.headers().firstValue("X-Accel-Buffering")).as("proxies must not buffer the stream").hasValue("no");
            assertThat(good.headers().firstValue("Cache-Control").orElse("")).contains("no-cache");
        }
    }

    /** Takes status frames until each of {@code messageIds} had one (statuses of earlier messages may come first). */
    private static void awaitStatuses(FrameQueue frames, List<String> messageIds) throws InterruptedException {
        Set<String> waiting = new HashSet<>(messageIds);
        while (!waiting.isEmpty()) {
            JsonNode status = frames.take("status", 1, WAIT).get(0);
            assertThat(status.path("status").asString()).isEqualTo("in_transit");
            waiting.remove(status.path("message_id").asString());
        }
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            seqs.add(seq);
        }
        return seqs;
    }

    /** Reads what the server sent until {@code marker} appears (or the stream ends); returns the tail. */
    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder tail = new StringBuilder();
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            tail.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            if (tail.indexOf(marker) >= 0) {
                break;
            }
            if (tail.length() > 4 * buffer.length) {
                tail.delete(0, tail.length() - 2 * buffer.length);
            }
        }
        return tail.toString();
    }

    private static double metric(String serviceUrl, String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                serviceUrl + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private List<String> send(String prefix, int count) {
        return sendTo(conversation, prefix, count);
    }

    private List<String> sendTo(String target, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = UUID.randomUUID().toString();
            HubApi.Response response = api.post("/v1/messages", alice, "{\"message_id\":\"" + id + "\",\"conversation_id\":\""
                    + target + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + prefix + " " + i + "\"}}");
            assertThat(response.status()).isEqualTo(202);
            ids.add(id);
        }
        return ids;
    }
}

package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core message path through the real services (processes, as {@code ./hub up} runs them) on
 * the real engines: gateway → Kafka → router → Kafka → storage-writer → PostgreSQL → history API.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class CoreMessagePathTest {

    private static final Duration PIPELINE = Duration.ofSeconds(90);

    private Pipeline pipeline;
    private HubApi api;
    private final List<UUID> members = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private String conversation;

    @BeforeEach
    void groupOfThree(TestStack stack) {
        pipeline = Pipeline.get(stack);
        api = pipeline.api();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        for (String name : List.of("ana", "bruno", "carla")) {
            members.add(api.createUser(admin, name + "-" + suffix, name + "-password"));
            tokens.add(api.login(name + "-" + suffix, name + "-password"));
        }
        HubApi.Response created = api.post("/v1/conversations", tokens.get(0), "{\"type\":\"group\",\"name\":\"e2e\","
                + "\"members\":[\"" + members.get(1) + "\",\"" + members.get(2) + "\"]}");
        assertThat(created.status()).isEqualTo(201);
        conversation = created.body().path("conversation_id").asString();
    }

    @Test
    void shouldGiveEveryMemberTheSameHistoryInAcceptOrderAndIgnoreARetry() {
        List<String> sent = new ArrayList<>();
        String firstBody = null;
        for (int i = 0; i < 9; i++) {
            UUID id = UUID.randomUUID();
            String body = text(id, "message " + i);
            firstBody = firstBody == null ? body : firstBody;
            assertThat(api.post("/v1/messages", tokens.get(i % 3), body).status()).isEqualTo(202);
            sent.add(id.toString());
        }
        HubApi.Response retry = api.post("/v1/messages", tokens.get(0), firstBody);
        assertThat(retry.status()).isEqualTo(202);
        UUID sentinel = UUID.randomUUID();
        api.post("/v1/messages", tokens.get(1), text(sentinel, "after the retry"));
        sent.add(sentinel.toString());

        for (String token : tokens) {
            List<History> history = awaitHistory(token, sent.size());
            assertThat(history).extracting(History::seq).containsExactlyElementsOf(seqs(sent.size()));
            assertThat(history).extracting(History::messageId).containsExactlyElementsOf(sent);
        }
        HubApi.Response newestFirst = api.get("/v1/conversations/" + conversation + "/messages?limit=3", tokens.get(2));
        assertThat(newestFirst.body().path("messages").get(0).path("seq").asLong()).isEqualTo(sent.size());
        assertThat(newestFirst.body().path("next_cursor").asString()).isNotBlank();
        List<Long> walked = new ArrayList<>();
        String cursor = "";
        for (int page = 0; page < 10 && cursor != null; page++) {
            HubApi.Response response = api.get("/v1/conversations/" + conversation + "/messages?limit=3"
                    + (cursor.isEmpty() ? "" : "&cursor=" + cursor), tokens.get(1));
            response.body().path("messages").forEach(m -> walked.add(m.path("seq").asLong()));
            cursor = response.body().path("next_cursor").isString() ? response.body().path("next_cursor").asString() : null;
        }
        assertThat(walked).containsExactlyElementsOf(LongStream.iterate(sent.size(), i -> i >= 1, i -> i - 1).boxed().toList());
        HubApi.Response before = api.get("/v1/conversations/" + conversation + "/messages?before_seq=4", tokens.get(1));
        List<Long> older = new ArrayList<>();
        before.body().path("messages").forEach(m -> older.add(m.path("seq").asLong()));
        assertThat(older).containsExactly(3L, 2L, 1L);
        HubApi.Response one = api.get("/v1/messages/" + sent.get(0), tokens.get(1));
        assertThat(one.body().path("seq").asLong()).isEqualTo(1);
        assertThat(one.body().path("payload").path("text").asString()).isEqualTo("message 0");
        assertThat(one.body().path("status").asString()).isEqualTo("in_transit");

        HubApi.Response status = api.get("/v1/messages/" + sent.get(0) + "/status", tokens.get(0));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("status").asString()).isEqualTo("in_transit");
        List<String> trail = new ArrayList<>();
        status.body().path("history").forEach(t -> trail.add(t.path("status").asString()));
        assertThat(trail).containsExactly("accepted", "in_transit");
        assertThat(status.body().path("deliveries").isEmpty()).as("no external channel was asked for").isTrue();
        String outsider = api.login("admin", Pipeline.ADMIN_PASSWORD);
        assertThat(api.get("/v1/messages/" + sent.get(0) + "/status", outsider).status()).isEqualTo(404);
    }

    @Test
    void shouldStayGapFreeAndIdenticalForEveryMemberWithTwentyConcurrentSenders() throws Exception {
        Set<String> sent = Collections.synchronizedSet(new HashSet<>());
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int client = 0; client < 20; client++) {
                String token = tokens.get(client % 3);
                work.add(() -> {
                    for (int i = 0; i < 5; i++) {
                        UUID id = UUID.randomUUID();
                        HubApi.Response response = api.post("/v1/messages", token, text(id, "concurrent " + i));
                        assertThat(response.status()).isEqualTo(202);
                        sent.add(id.toString());
                    }
                    return null;
                });
            }
            for (Future<Void> done : clients.invokeAll(work)) {
                done.get();
            }
        } finally {
            clients.shutdownNow();
        }

        List<List<String>> orders = new ArrayList<>();
        for (String token : tokens) {
            List<History> history = awaitHistory(token, 100);
            assertThat(history).extracting(History::seq).containsExactlyElementsOf(seqs(100));
            assertThat(history).extracting(History::messageId).containsExactlyInAnyOrderElementsOf(sent);
            orders.add(history.stream().map(History::messageId).toList());
        }
        assertThat(orders.get(1)).isEqualTo(orders.get(0));
        assertThat(orders.get(2)).isEqualTo(orders.get(0));
    }

    @Test
    void shouldStoreEveryAcceptedMessageExactlyOnceWhenRouterAndWriterCrashMidStream(TestStack stack) throws Exception {
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Future<?> sending = sender.submit(() -> {
            for (int i = 0; i < 60; i++) {
                UUID id = UUID.randomUUID();
                assertThat(api.post("/v1/messages", tokens.get(i % 3), text(id, "through a crash " + i)).status()).isEqualTo(202);
                sent.add(id.toString());
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() >= 15);
            pipeline.router.kill();
            pipeline.storageWriter.kill();
            await().atMost(Duration.ofSeconds(60)).until(() -> sent.size() >= 40);
            pipeline.storageWriter.start();
            pipeline.router.start();
            sending.get();
        } finally {
            sender.shutdownNow();
        }

        for (String token : tokens) {
            List<History> history = awaitHistory(token, 60);
            assertThat(history).extracting(History::seq).containsExactlyElementsOf(seqs(60));
            assertThat(history).extracting(History::messageId).containsExactlyElementsOf(sent);
        }
        try (Connection c = stack.openDatabaseConnection()) {
            assertThat(count(c, "SELECT count(*) FROM messages WHERE conversation_id = ?::uuid")).isEqualTo(60);
            assertThat(count(c, "SELECT count(*) FROM participant_messages WHERE conversation_id = ?::uuid")).isEqualTo(180);
        }
    }

    private record History(long seq, String messageId) {
    }

    private List<History> awaitHistory(String token, int expected) {
        List<History> history = new ArrayList<>();
        await().atMost(PIPELINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            history.clear();
            HubApi.Response page = api.get("/v1/conversations/" + conversation + "/messages?after_seq=0&limit=200", token);
            page.body().path("messages").forEach(m -> history.add(new History(m.path("seq").asLong(),
                    m.path("message_id").asString())));
            return history.size() >= expected;
        });
        return history;
    }

    private long count(Connection c, String sql) throws Exception {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, conversation);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Long> seqs(int n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    private String text(UUID messageId, String text) {
        return "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + conversation
                + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + text + "\"}}";
    }
}

package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.FileUploadClient;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * History reads stay seamless across the archive: a participant's old copies moved to Parquet
 * objects read back through the same API, in the same {@code seq} order and with the same fields
 * as before they moved, cursors cross the hot/archive boundary in both directions, single message,
 * status and attachment reads find archived copies, and search still finds archived messages.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class ArchivedHistoryTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int OLD = 45;
    private static final int NEW = 15;

    @Test
    void shouldPageThroughArchivedAndHotHistoryAsOneSequence(TestStack stack) throws Exception {
        Pipeline pipeline = Pipeline.get(stack);
        pipeline.indexer(stack);
        HubApi api = pipeline.api();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        UUID alice = api.createUser(admin, "hist-alice-" + suffix, "alice-password");
        UUID bob = api.createUser(admin, "hist-bob-" + suffix, "bob-password");
        api.createUser(admin, "hist-carol-" + suffix, "carol-password");
        String aliceToken = api.login("hist-alice-" + suffix, "alice-password");
        String bobToken = api.login("hist-bob-" + suffix, "bob-password");
        String carolToken = api.login("hist-carol-" + suffix, "carol-password");
        String conversation = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}")
                .body().path("conversation_id").asString();
        String word = "arch" + suffix.replace("-", "");
        String fileId = new FileUploadClient(api, bobToken).upload("notes.txt", "text/plain",
                "archived attachment".getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= OLD; i++) {
            if (i == 3) {
                assertThat(api.post("/v1/messages", bobToken, "{\"message_id\":\"" + UUID.randomUUID()
                        + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"file\",\"file_id\":\""
                        + fileId + "\"}}").status()).isEqualTo(202);
                continue;
            }
            send(api, i % 2 == 0 ? bobToken : aliceToken, conversation, "old " + i + (i == 7 ? " " + word : ""));
        }
        await().atMost(WAIT).until(() -> all(api, aliceToken, conversation, "after_seq=0&limit=100").size() == OLD);
        List<JsonNode> before = all(api, aliceToken, conversation, "after_seq=0&limit=100");

        pipeline.archiveNow(stack, admin, alice, 10, WAIT);
        assertThat(Pipeline.count(stack, "SELECT count(*) FROM participant_messages WHERE owner_id = ?", alice))
                .as("alice's old copies left PostgreSQL").isZero();
        assertThat(Pipeline.count(stack, "SELECT count(*) FROM archive_objects WHERE owner_id = ?", alice))
                .as("in objects of at most 10 rows").isEqualTo(5);

        assertThat(withoutStatus(all(api, aliceToken, conversation, "after_seq=0&limit=100")))
                .as("the archived history reads back exactly as it did hot").isEqualTo(withoutStatus(before));
        await().atMost(WAIT).alias("archived copies show the messages' current status, as bob's hot copies do")
                .until(() -> statuses(all(api, aliceToken, conversation, "after_seq=0&limit=100"))
                        .equals(statuses(all(api, bobToken, conversation, "after_seq=0&limit=100"))));

        for (int i = 1; i <= NEW; i++) {
            send(api, i % 2 == 0 ? bobToken : aliceToken, conversation, "new " + i);
        }
        await().atMost(WAIT).until(() -> all(api, aliceToken, conversation, "after_seq=0&limit=100").size() == OLD + NEW);

        List<JsonNode> forward = pages(api, aliceToken, conversation, "after_seq=0&limit=7");
        assertThat(forward).hasSize(OLD + NEW);
        assertThat(withoutStatus(forward.subList(0, OLD))).isEqualTo(withoutStatus(before));
        List<Long> seqs = forward.stream().map(m -> m.path("seq").asLong()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(forward.subList(OLD, OLD + NEW)).extracting(m -> m.path("payload").path("text").asString())
                .startsWith("new 1", "new 2");

        List<JsonNode> backward = pages(api, aliceToken, conversation, "limit=7");
        List<JsonNode> reversed = new ArrayList<>(forward);
        Collections.reverse(reversed);
        assertThat(withoutStatus(backward)).as("newest first through the boundary, each once")
                .isEqualTo(withoutStatus(reversed));
        assertThat(all(api, bobToken, conversation, "after_seq=0&limit=100"))
                .as("bob's copies are his own, still hot, and the same messages")
                .extracting(m -> m.path("message_id").asString())
                .containsExactlyElementsOf(forward.stream().map(m -> m.path("message_id").asString()).toList());

        JsonNode archived = before.get(6);
        String archivedId = archived.path("message_id").asString();
        HubApi.Response one = api.get("/v1/messages/" + archivedId, aliceToken);
        assertThat(one.status()).isEqualTo(200);
        assertThat(withoutStatus(List.of(one.body()))).isEqualTo(withoutStatus(List.of(archived)));
        assertThat(api.get("/v1/messages/" + archivedId + "/status", aliceToken).status()).isEqualTo(200);
        assertThat(api.get("/v1/messages/" + archivedId, carolToken).status()).isEqualTo(404);
        assertThat(api.get("/v1/conversations/" + conversation + "/messages?limit=5", carolToken).status()).isEqualTo(404);
        assertThat(api.get("/v1/files/" + fileId, aliceToken).status())
                .as("an attachment of an archived copy stays readable by its owner").isEqualTo(200);
        assertThat(api.get("/v1/files/" + fileId, carolToken).status()).isEqualTo(404);

        await().atMost(WAIT).until(() -> {
            HubApi.Response search = api.get("/v1/search?q=" + word, aliceToken);
            return search.status() == 200 && search.body().path("hits").size() == 1
                    && archivedId.equals(search.body().path("hits").get(0).path("message_id").asString());
        });
    }

    /** The messages as they read, but for their status (it may still move while the test runs). */
    private static List<JsonNode> withoutStatus(List<JsonNode> messages) {
        return messages.stream().map(m -> {
            ObjectNode copy = (ObjectNode) m.deepCopy();
            copy.remove("status");
            return (JsonNode) copy;
        }).toList();
    }

    private static List<String> statuses(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("status").asString()).toList();
    }

    private static void send(HubApi api, String token, String conversation, String text) {
        assertThat(api.post("/v1/messages", token, "{\"message_id\":\"" + UUID.randomUUID() + "\",\"conversation_id\":\""
                + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + text + "\"}}").status()).isEqualTo(202);
    }

    private static List<JsonNode> all(HubApi api, String token, String conversation, String query) {
        HubApi.Response response = api.get("/v1/conversations/" + conversation + "/messages?" + query, token);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        List<JsonNode> messages = new ArrayList<>();
        response.body().path("messages").forEach(messages::add);
        return messages;
    }

    private static List<JsonNode> pages(HubApi api, String token, String conversation, String first) {
        List<JsonNode> messages = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String query = first;
        while (query != null) {
            HubApi.Response response = api.get("/v1/conversations/" + conversation + "/messages?" + query, token);
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            response.body().path("messages").forEach(messages::add);
            JsonNode next = response.body().path("next_cursor");
            query = next.isString() ? "limit=7&cursor=" + URLEncoder.encode(next.asString(), StandardCharsets.UTF_8) : null;
            assertThat(query == null || cursors.add(query)).as("no cursor twice").isTrue();
        }
        return messages;
    }
}

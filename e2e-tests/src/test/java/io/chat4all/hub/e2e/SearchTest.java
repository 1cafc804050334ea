package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Search through the whole pipeline: gateway → router → storage-writer → PostgreSQL → Debezium →
 * {@code cdc.messages} → indexer → Elasticsearch → {@code GET /v1/search}.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private TestStack stack;
    private HubApi api;
    private String indexerUrl;
    private final String word = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private String aliceToken;
    private String bobToken;
    private String carolToken;
    private String conversation;
    private final List<String> sent = new ArrayList<>();

    @BeforeAll
    void startPipeline(TestStack stack) {
        this.stack = stack;
        Pipeline pipeline = Pipeline.get(stack);
        indexerUrl = pipeline.indexer(stack).managementUrl();
        api = pipeline.api();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, "alice-" + suffix, "alice-password");
        UUID bob = api.createUser(admin, "bob-" + suffix, "bob-password");
        api.createUser(admin, "carol-" + suffix, "carol-password");
        aliceToken = api.login("alice-" + suffix, "alice-password");
        bobToken = api.login("bob-" + suffix, "bob-password");
        carolToken = api.login("carol-" + suffix, "carol-password");
        conversation = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}")
                .body().path("conversation_id").asString();
        for (int i = 1; i <= 60; i++) {
            String text = (i % 3 == 0 ? word + " " + word + " invoice " + i : "invoice " + i + " about " + word);
            sent.add(send(i % 2 == 0 ? bobToken : aliceToken, text));
        }
    }

    @Test
    void shouldFindMessagesOfTheCallersConversationsWithHighlightedSnippetsAndShowNothingToOthers() {
        await().atMost(WAIT).until(() -> hitsWhenAvailable(bobToken, "q=" + word + "&limit=200") == 60);
        JsonNode hits = search(aliceToken, "q=" + word + "&limit=5").path("hits");
        assertThat(hits).hasSize(5);
        JsonNode first = hits.get(0);
        assertThat(first.path("conversation_id").asString()).isEqualTo(conversation);
        assertThat(first.path("snippet").asString()).contains("<em>" + word + "</em>");
        assertThat(first.path("seq").asLong()).isPositive();
        assertThat(first.path("from").asString()).isNotEmpty();
        assertThat(first.path("created_at").asString()).isNotEmpty();
        assertThat(first.path("snippet").asString()).as("relevance first: the messages naming the word twice")
                .contains("invoice").contains("<em>" + word + "</em> <em>" + word + "</em>");

        assertThat(search(carolToken, "q=" + word).path("hits")).as("a non-member finds nothing").isEmpty();
        assertThat(search(carolToken, "q=invoice&conversation_id=" + conversation).path("hits"))
                .as("not through a filter on the conversation either").isEmpty();
        assertThat(search(carolToken, "q=" + word + "&sort=recent").path("hits")).isEmpty();

        String bobId = api.get("/v1/users/me", bobToken).body().path("user_id").asString();
        JsonNode fromBob = search(aliceToken, "q=" + word + "&from=" + bobId + "&limit=200").path("hits");
        assertThat(fromBob).hasSize(30).allSatisfy(hit -> assertThat(hit.path("from").asString()).isEqualTo(bobId));
    }

    @Test
    void shouldPageThroughEveryHitOnceInRecentAndRelevanceOrder() {
        await().atMost(WAIT).until(() -> hitsWhenAvailable(aliceToken, "q=" + word + "&limit=200") == 60);

        List<JsonNode> recent = pages(aliceToken, "q=" + word + "&sort=recent&limit=25");
        assertThat(recent).hasSize(60);
        List<Long> seqs = recent.stream().map(h -> h.path("seq").asLong()).toList();
        assertThat(seqs).as("newest first, each once").isSortedAccordingTo((a, b) -> Long.compare(b, a))
                .doesNotHaveDuplicates();

        List<JsonNode> relevant = pages(aliceToken, "q=" + word + "&limit=25");
        assertThat(relevant).hasSize(60);
        assertThat(relevant.stream().map(h -> h.path("message_id").asString()).toList())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        assertThat(relevant.subList(0, 20)).as("the 20 messages naming the word twice rank first")
                .allSatisfy(h -> assertThat(h.path("snippet").asString()).contains("<em>" + word + "</em> <em>"));
    }

    @Test
    void shouldRejectBadInputWithProblemDetails() {
        for (String query : List.of("", "q=%20", "q=x&since=yesterday", "q=x&conversation_id=nope", "q=x&sort=oldest",
                "q=x&limit=0", "q=x&limit=500", "q=x&cursor=garbage", "q=x&since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z",
                "q=" + "a".repeat(300))) {
            HubApi.Response response = api.get("/v1/search?" + query, aliceToken);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.contentType()).as(query).startsWith("application/problem+json");
        }
        await().atMost(WAIT).until(() -> hitsWhenAvailable(aliceToken, "q=" + word + "&limit=200") == 60);
        String cursor = search(aliceToken, "q=" + word + "&limit=5").path("next_cursor").asString();
        assertThat(api.get("/v1/search?q=invoice&limit=5&cursor=" + cursor, aliceToken).status())
                .as("a cursor belongs to its query").isEqualTo(400);
        assertThat(api.get("/v1/search?q=" + word, null).status()).isEqualTo(401);
    }

    @Test
    void shouldForgetAMessageWhoseRowIsDeleted() throws Exception {
        String doomed = send(aliceToken, "please forget " + word + " doomedword");
        await().atMost(WAIT).until(() -> hitsWhenAvailable(bobToken, "q=doomedword") == 1);

        try (Connection c = stack.openDatabaseConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE message_id = ?::uuid")) {
            ps.setString(1, doomed);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(search(bobToken, "q=doomedword").path("hits")).as("never returned once the row is gone").isEmpty();
        await().atMost(WAIT).until(() -> indexCount("doomedword") == 0);
        assertThat(metric(indexerUrl, "hub_search_freshness_seconds_count")).isPositive();
    }

    private String send(String token, String text) {
        String id = UUID.randomUUID().toString();
        HubApi.Response response = api.post("/v1/messages", token, "{\"message_id\":\"" + id + "\",\"conversation_id\":\""
                + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + text + "\"}}");
        assertThat(response.status()).isEqualTo(202);
        return id;
    }

    private JsonNode search(String token, String query) {
        HubApi.Response response = api.get("/v1/search?" + query, token);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    /**
     * The number of hits, or -1 while search answers 503 (Elasticsearch still starting the shards
     * of a just-created index, say): waiting for hits tolerates that, nothing else does.
     */
    private int hitsWhenAvailable(String token, String query) {
        HubApi.Response response = api.get("/v1/search?" + query, token);
        if (response.status() == 503) {
            return -1;
        }
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body().path("hits").size();
    }

    private List<JsonNode> pages(String token, String query) {
        List<JsonNode> hits = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = search(token, query + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.path("hits").forEach(hits::add);
            cursor = page.path("next_cursor").isString() ? page.path("next_cursor").asString() : null;
            assertThat(cursor == null || cursors.add(cursor)).as("no cursor twice").isTrue();
        } while (cursor != null);
        return hits;
    }

    private long indexCount(String word) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                stack.elasticsearchUrl() + "/messages/_count?q=text:" + word)).build(), HttpResponse.BodyHandlers.ofString());
        return HubApi.JSON.readTree(response.body()).path("count").asLong(-1);
    }

    private static double metric(String serviceUrl, String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                serviceUrl + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(
                l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}

package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Per-principal quotas (issue 17) with small allowances, through the real HTTP API on the real
 * stack: the request past an allowance gets 429 problem+json with Retry-After; other principals
 * keep their own allowances; an API key has its own.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.gateway.quotas.enabled=true",
        "hub.gateway.quotas.sends-per-minute=5",
        "hub.gateway.quotas.integrator-sends-per-minute=8",
        "hub.gateway.quotas.conversations-per-hour=2",
        "hub.gateway.quotas.searches-per-minute=3",
        "hub.gateway.quotas.replays-per-minute=2",
        "hub.gateway.quotas.upload-bytes-per-day=20MB",
        "hub.gateway.quotas.concurrent-uploads=2"})
@ActiveProfiles("test")
class QuotasTest {

    private static final String PASSWORD = "a-good-password";
    private static final String SHA = "a".repeat(64);

    @Value("${local.server.port}")
    int port;
    private HubApi api;
    private String admin;

    @BeforeEach
    void login() {
        api = new HubApi(port);
        admin = api.login("admin", "test-admin-password");
    }

    @Test
    void shouldRefuseTheSendPastTheAllowanceAndKeepOtherPrincipalsAllowances() {
        String alice = token();
        UUID bob = api.createUser(admin, name(), PASSWORD);
        String conversation = api.post("/v1/conversations", alice, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}")
                .body().path("conversation_id").asString();
        for (int i = 0; i < 5; i++) {
            assertThat(send(alice, conversation, null).status()).as("send %d", i + 1).isEqualTo(202);
        }

        HubApi.Response refused = send(alice, conversation, null);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().path("detail").asString()).contains("sends");
        assertThat(Long.parseLong(refused.retryAfter())).isBetween(1L, 60L);

        String key = api.post("/v1/api-keys", admin, "{\"name\":\"quota\"}").body().path("api_key").asString();
        for (int i = 0; i < 8; i++) {
            assertThat(send(key, conversation, bob).status()).as("integrator send %d", i + 1).isEqualTo(202);
        }
        assertThat(send(key, conversation, bob).status()).isEqualTo(429);
    }

    @Test
    void shouldLimitConversationsSearchesAndReplays() throws Exception {
        String carol = token();
        UUID dave = api.createUser(admin, name(), PASSWORD);
        String group = "{\"type\":\"group\",\"members\":[\"" + dave + "\"]}";
        assertThat(api.post("/v1/conversations", carol, group).status()).isEqualTo(201);
        assertThat(api.post("/v1/conversations", carol, group).status()).isEqualTo(201);
        assertThat(api.post("/v1/conversations", carol, group).status()).isEqualTo(429);

        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/v1/search?q=hello", carol).status()).as("search %d", i + 1).isNotEqualTo(429);
        }
        assertThat(api.get("/v1/search?q=hello", carol).status()).isEqualTo(429);

        String cursor = cursorOfANewStream(carol);
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> replay = stream(carol, cursor);
            assertThat(replay.statusCode()).as("replay %d", i + 1).isEqualTo(200);
            replay.body().close();
        }
        HttpResponse<InputStream> refused = stream(carol, cursor);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        refused.body().close();
        HttpResponse<InputStream> live = stream(carol, null);
        assertThat(live.statusCode()).as("a stream from now on replays nothing and is not counted").isEqualTo(200);
        live.body().close();
    }

    @Test
    void shouldLimitConcurrentUploadsAndUploadedBytes() {
        String erin = token();
        assertThat(startUpload(erin, 8 << 20).status()).isEqualTo(201);
        assertThat(startUpload(erin, 8 << 20).status()).isEqualTo(201);
        HubApi.Response third = startUpload(erin, 1 << 20);
        assertThat(third.status()).as("two uploads under way").isEqualTo(429);
        assertThat(third.body().path("title").asString()).isEqualTo("Too many uploads");

        String frank = token();
        assertThat(startUpload(frank, 15 << 20).status()).isEqualTo(201);
        HubApi.Response overBytes = startUpload(frank, 8 << 20);
        assertThat(overBytes.status()).as("20 MB a day").isEqualTo(429);
        assertThat(overBytes.body().path("detail").asString()).contains("upload_bytes");
        assertThat(startUpload(frank, 5 << 20).status()).as("what is left of the allowance").isEqualTo(201);
    }

    private HubApi.Response send(String token, String conversation, UUID from) {
        return api.post("/v1/messages", token, "{\"message_id\":\"" + UUID.randomUUID() + "\",\"conversation_id\":\""
                + conversation + "\"," + (from == null ? "" : "\"from\":\"" + from + "\",")
                + "\"payload\":{\"type\":\"text\",\"text\":\"hi\"}}");
    }

    private HubApi.Response startUpload(String token, long size) {
        return api.post("/v1/files", token, "{\"filename\":\"notes.txt\",\"size\":" + size
                + ",\"content_type\":\"text/plain\",\"sha256\":\"" + SHA + "\"}");
    }

    private String cursorOfANewStream(String token) throws Exception {
        HttpResponse<InputStream> response = stream(token, null);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("id:")) {
                    return line.substring(3).trim();
                }
            }
        }
        throw new AssertionError("the stream sent no cursor");
    }

    private HttpResponse<InputStream> stream(String token, String after) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/stream"
                        + (after == null ? "" : "?after=" + after))).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private String token() {
        String username = name();
        api.createUser(admin, username, PASSWORD);
        return api.login(username, PASSWORD);
    }

    private static String name() {
        return "quota-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

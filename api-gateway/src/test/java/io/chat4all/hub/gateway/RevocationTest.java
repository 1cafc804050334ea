package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.gateway.auth.JwtKeys;
import io.chat4all.hub.gateway.auth.TokenService;
import io.chat4all.hub.gateway.core.Role;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Taking access back (issue 17) through the real HTTP API on real PostgreSQL and Kafka: signing
 * out, disabled and demoted users, revoked, expiring and orphaned API keys, a change made by
 * another instance (straight in the database) and open streams that end.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RevocationTest {

    private static final String PASSWORD = "a-good-password";
    private static final HttpClient SOCKETS = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;
    private HubApi api;
    private String admin;
    private final java.util.Map<String, UUID> ids = new java.util.HashMap<>();

    @BeforeEach
    void login() {
        api = new HubApi(port);
        admin = api.login("admin", "test-admin-password");
    }

    @Test
    void shouldSignOutTheTokenPresentedOrEveryTokenOfTheUser() {
        String username = user();
        String first = api.login(username, PASSWORD);
        String second = api.login(username, PASSWORD);
        String third = api.login(username, PASSWORD);

        assertThat(api.post("/v1/auth/logout", first, "{}").status()).isEqualTo(204);
        assertThat(api.get("/v1/users/me", first).status()).as("signed out at once").isEqualTo(401);
        assertThat(api.get("/v1/users/me", second).status()).as("other devices stay signed in").isEqualTo(200);

        assertThat(api.post("/v1/auth/logout", second, "{\"everywhere\":true}").status()).isEqualTo(204);
        assertThat(api.get("/v1/users/me", second).status()).isEqualTo(401);
        assertThat(api.get("/v1/users/me", third).status()).as("every token of the user").isEqualTo(401);
        assertThat(api.get("/v1/users/me", api.login(username, PASSWORD)).status()).as("a new sign-in works").isEqualTo(200);

        String key = api.post("/v1/api-keys", admin, "{\"name\":\"no-logout\"}").body().path("api_key").asString();
        assertThat(api.post("/v1/auth/logout", key, "{}").status()).isEqualTo(403);
        assertThat(api.get("/v1/users/me", key).status()).isEqualTo(200);
    }

    @Test
    void shouldCutOffADisabledOrDemotedUserAtOnce() {
        String username = user();
        UUID userId = id(username);
        String token = api.login(username, PASSWORD);

        HubApi.Response promoted = api.patch("/v1/users/" + userId, admin, "{\"role\":\"admin\",\"display_name\":\"Boss\"}");
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.body().path("role").asString()).isEqualTo("admin");
        assertThat(promoted.body().path("display_name").asString()).isEqualTo("Boss");
        assertThat(api.get("/v1/users/me", token).status()).as("a role change signs the user out").isEqualTo(401);
        String asAdmin = api.login(username, PASSWORD);
        assertThat(api.get("/v1/api-keys", asAdmin).status()).isEqualTo(200);

        assertThat(api.patch("/v1/users/" + userId, admin, "{\"disabled\":true}").body().path("disabled").asBoolean()).isTrue();
        assertThat(api.get("/v1/users/me", asAdmin).status()).isEqualTo(401);
        assertThat(api.post("/v1/auth/token", null, "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .status()).as("a disabled user cannot sign in").isEqualTo(401);

        assertThat(api.patch("/v1/users/" + userId, admin, "{\"disabled\":false,\"role\":\"user\"}").status()).isEqualTo(200);
        String again = api.login(username, PASSWORD);
        assertThat(api.get("/v1/api-keys", again).status()).as("demoted").isEqualTo(403);

        assertThat(api.patch("/v1/users/" + userId, again, "{\"role\":\"admin\"}").status()).as("users cannot promote themselves")
                .isEqualTo(403);
        assertThat(api.patch("/v1/users/" + UUID.randomUUID(), admin, "{\"disabled\":true}").status()).isEqualTo(404);
        assertThat(api.patch("/v1/users/" + userId, admin, "{\"role\":\"root\"}").status()).isEqualTo(400);
    }

    @Test
    void shouldListRevokeAndExpireApiKeys() {
        HubApi.Response created = api.post("/v1/api-keys", admin, "{\"name\":\"crm-" + UUID.randomUUID() + "\"}");
        String keyId = created.body().path("key_id").asString();
        String key = created.body().path("api_key").asString();
        assertThat(api.get("/v1/users/me", key).status()).isEqualTo(200);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            HubApi.Response page = api.get("/v1/api-keys?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.status()).isEqualTo(200);
            page.body().path("api_keys").forEach(k -> {
                listed.add(k.path("key_id").asString());
                assertThat(k.has("api_key")).isFalse();
                assertThat(k.has("key_hash")).isFalse();
            });
            cursor = page.body().path("next_cursor").isString() ? page.body().path("next_cursor").asString() : null;
        } while (cursor != null);
        assertThat(listed).contains(keyId).doesNotHaveDuplicates();

        assertThat(api.delete("/v1/api-keys/" + keyId, admin).status()).isEqualTo(204);
        assertThat(api.get("/v1/users/me", key).status()).as("revoked at once").isEqualTo(401);
        assertThat(api.delete("/v1/api-keys/" + keyId, admin).status()).as("idempotent").isEqualTo(204);
        assertThat(api.delete("/v1/api-keys/" + UUID.randomUUID(), admin).status()).isEqualTo(404);
        assertThat(api.get("/v1/api-keys", key).status()).isEqualTo(401);

        assertThat(api.post("/v1/api-keys", admin, "{\"name\":\"past\",\"expires_at\":\"2020-01-01T00:00:00Z\"}").status())
                .isEqualTo(400);
        String expiring = api.post("/v1/api-keys", admin, "{\"name\":\"short\",\"expires_at\":\""
                + Instant.now().plusSeconds(3) + "\"}").body().path("api_key").asString();
        assertThat(api.get("/v1/users/me", expiring).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/users/me", expiring).status() == 401);
    }

    @Test
    void shouldLetAKeyDieWithItsAdminUnlessReassigned() {
        String makerName = user();
        UUID maker = id(makerName);
        api.patch("/v1/users/" + maker, admin, "{\"role\":\"admin\"}");
        String makerToken = api.login(makerName, PASSWORD);
        String orphan = api.post("/v1/api-keys", makerToken, "{\"name\":\"orphan\"}").body().path("api_key").asString();
        HubApi.Response handedOver = api.post("/v1/api-keys", makerToken, "{\"name\":\"handed-over\"}");
        String kept = handedOver.body().path("api_key").asString();
        assertThat(api.get("/v1/users/me", orphan).body().path("user_id").asString()).isEqualTo(maker.toString());

        UUID adminId = id("admin");
        HubApi.Response reassigned = api.patch("/v1/api-keys/" + handedOver.body().path("key_id").asString(), admin,
                "{\"owner_id\":\"" + adminId + "\"}");
        assertThat(reassigned.status()).isEqualTo(200);
        assertThat(reassigned.body().path("owner_id").asString()).isEqualTo(adminId.toString());
        assertThat(reassigned.body().path("created_by").asString()).isEqualTo(maker.toString());
        assertThat(api.patch("/v1/api-keys/" + handedOver.body().path("key_id").asString(), admin,
                "{\"owner_id\":\"" + id(user()) + "\"}").status()).as("only to an active admin").isEqualTo(400);

        api.patch("/v1/users/" + maker, admin, "{\"role\":\"user\"}");

        assertThat(api.get("/v1/users/me", orphan).status()).as("died with its admin").isEqualTo(401);
        HubApi.Response me = api.get("/v1/users/me", kept);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("user_id").asString()).as("acts for its new owner").isEqualTo(adminId.toString());
    }

    /** Another gateway instance's change reaches this one through the database, within a poll. */
    @Test
    void shouldApplyARevocationMadeElsewhereWithinAPoll(TestStack stack) throws Exception {
        String username = user();
        String token = api.login(username, PASSWORD);
        assertThat(api.get("/v1/users/me", token).status()).isEqualTo(200);

        try (Connection connection = stack.openDatabaseConnection();
             PreparedStatement bump = connection.prepareStatement(
                     "UPDATE users SET token_version = token_version + 1, access_changed_at = now() WHERE username = ?")) {
            bump.setString(1, username);
            assertThat(bump.executeUpdate()).isEqualTo(1);
        }

        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/v1/users/me", token).status() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldEndAnOpenStreamWhenItsTokenIsSignedOut() throws Exception {
        String token = api.login(user(), PASSWORD);
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/stream")).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> untilEnd = CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    read.add(line);
                }
            } catch (java.io.IOException e) {
                read.add("io: " + e);
            }
            return read;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/users/me", token).status() == 200);
        assertThat(api.post("/v1/auth/logout", token, "{}").status()).isEqualTo(204);

        List<String> read = untilEnd.get(10, TimeUnit.SECONDS);
        assertThat(read.stream().map(line -> line.replace(" ", "")).toList()).contains("event:ready", "event:error");
        assertThat(read.stream().filter(line -> line.startsWith("data:") && line.contains("revoked")).toList()).isNotEmpty();
    }

    @Test
    void shouldCloseAWebSocketWhenItsTokenIsSignedOutOrExpires() throws Exception {
        String username = user();
        String token = api.login(username, PASSWORD);
        String shortLived = new TokenService(JwtKeys.parse("new:the-new-secret-that-is-at-least-32-bytes-long"),
                Duration.ofSeconds(3), "chat4all-hub", "chat4all-hub-api", Clock.systemUTC())
                .issue(id(username), username, Role.USER, 0).value();

        CompletableFuture<String> signedOut = closeOf(token);
        CompletableFuture<String> expired = closeOf(shortLived);
        assertThat(api.post("/v1/auth/logout", token, "{}").status()).isEqualTo(204);

        assertThat(signedOut.get(10, TimeUnit.SECONDS)).isEqualTo("4401 revoked");
        assertThat(expired.get(15, TimeUnit.SECONDS)).isEqualTo("4401 token_expired");
    }

    /** Opens a WebSocket with {@code token}; completes with the server's close code and reason. */
    private CompletableFuture<String> closeOf(String token) throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        // one client kept for the whole test: an HttpClient no longer referenced shuts down, and its sockets with it
        SOCKETS.newWebSocketBuilder().header("Authorization", "Bearer " + token).subprotocols("chat4all.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket socket, int status, String reason) {
                        closed.complete(status + " " + reason);
                        return null;
                    }

                    @Override
                    public void onError(java.net.http.WebSocket socket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        return closed;
    }

    private String user() {
        String username = "rev-" + UUID.randomUUID().toString().substring(0, 8);
        ids.put(username, api.createUser(admin, username, PASSWORD));
        return username;
    }

    private UUID id(String username) {
        return "admin".equals(username) ? UUID.fromString(api.get("/v1/users/me", admin).body().path("user_id").asString())
                : ids.get(username);
    }
}

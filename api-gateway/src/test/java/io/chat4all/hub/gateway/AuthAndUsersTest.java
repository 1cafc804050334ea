package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.UserChanged;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.auth.JwtKeys;
import io.chat4all.hub.gateway.auth.TokenService;
import io.chat4all.hub.gateway.core.Role;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Tokens, users and API keys through the real HTTP API, on real PostgreSQL and Kafka. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AuthAndUsersTest {

    private static final String OLD_KEY = "old:an-old-secret-that-is-at-least-32-bytes-long";
    private static final String NEW_KEY = "new:the-new-secret-that-is-at-least-32-bytes-long";
    private static final String AUDIENCE = "chat4all-hub-api";

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
    void shouldAnswer429WithRetryAfterOnceAUsernameHadTooManyFailedSignInsFromOneAddress() {
        String username = "guessed-" + UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, username, "the-right-password");
        String wrong = "{\"username\":\"" + username + "\",\"password\":\"not-the-password\"}";
        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThat(api.post("/v1/auth/token", null, wrong).status()).as("attempt %d", attempt).isEqualTo(401);
        }

        // the right password too: a guesser must not learn which attempt was right
        HubApi.Response refused = api.post("/v1/auth/token", null,
                "{\"username\":\"" + username.toUpperCase(Locale.ROOT) + "\",\"password\":\"the-right-password\"}");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.retryAfter())).isBetween(1L, 15L * 60);
        assertThat(refused.body().path("status").asInt()).isEqualTo(429);
        assertThat(api.post("/v1/auth/token", null, "{\"username\":\"" + username
                + "\",\"password\":\"the-right-password\"}").status()).isEqualTo(429);
        // other users from the same address are not locked out by it
        assertThat(api.login("admin", "test-admin-password")).isNotBlank();
    }

    @Test
    void shouldIssueABearerTokenSignedWithTheNewestKey() {
        HubApi.Response response = api.post("/v1/auth/token", null, "{\"username\":\"admin\",\"password\":\"test-admin-password\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(response.body().path("expires_in").asLong()).isEqualTo(3600);
        String header = new String(Base64.getUrlDecoder().decode(admin.split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"kid\":\"new\"").contains("\"alg\":\"HS256\"");
    }

    @Test
    void shouldAnswerTheSame401ForAWrongPasswordAndAnUnknownUser() {
        HubApi.Response wrongPassword = api.post("/v1/auth/token", null, "{\"username\":\"admin\",\"password\":\"nope-nope\"}");
        HubApi.Response unknownUser = api.post("/v1/auth/token", null, "{\"username\":\"nobody-here\",\"password\":\"nope-nope\"}");

        for (HubApi.Response response : List.of(wrongPassword, unknownUser)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(wrongPassword.body().path("detail")).isEqualTo(unknownUser.body().path("detail"));
    }

    @Test
    void shouldRejectMissingExpiredForeignUnsignedAndTamperedTokens() throws Exception {
        UUID adminId = UUID.fromString(api.get("/v1/users/me", admin).body().path("user_id").asString());
        String expired = new TokenService(JwtKeys.parse(NEW_KEY), Duration.ofMinutes(5), "chat4all-hub", AUDIENCE,
                Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC)).issue(adminId, "admin", Role.ADMIN, 0).value();
        String foreign = new TokenService(JwtKeys.parse("new:a-completely-different-secret-of-32-bytes"), Duration.ofMinutes(5),
                "chat4all-hub", AUDIENCE, Clock.systemUTC()).issue(adminId, "admin", Role.ADMIN, 0).value();
        String otherAudience = new TokenService(JwtKeys.parse(NEW_KEY), Duration.ofMinutes(5), "chat4all-hub", "another-api",
                Clock.systemUTC()).issue(adminId, "admin", Role.ADMIN, 0).value();
        String[] parts = admin.split("\\.");
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"admin\"", "\"user\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];

        assertThat(api.get("/v1/users/me", null).status()).isEqualTo(401);
        com.nimbusds.jwt.SignedJWT neverExpires = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.HS256).keyID("new").build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("chat4all-hub").audience(AUDIENCE).subject(adminId.toString())
                        .jwtID(UUID.randomUUID().toString()).issueTime(new java.util.Date()).claim(TokenService.USERNAME_CLAIM, "admin")
                        .claim(TokenService.ROLE_CLAIM, "admin").claim(TokenService.VERSION_CLAIM, 0).build());
        neverExpires.sign(new com.nimbusds.jose.crypto.MACSigner(
                NEW_KEY.substring(NEW_KEY.indexOf(':') + 1).getBytes(StandardCharsets.UTF_8)));

        for (String token : List.of(expired, foreign, otherAudience, neverExpires.serialize(), unsigned, tampered, "not-a-token")) {
            HubApi.Response response = api.get("/v1/users/me", token);
            assertThat(response.status()).as(token).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void shouldKeepAcceptingTokensOfAnOlderKeyAfterRotation() {
        UUID adminId = UUID.fromString(api.get("/v1/users/me", admin).body().path("user_id").asString());
        String signedWithOldKey = new TokenService(JwtKeys.parse(OLD_KEY), Duration.ofMinutes(5), "chat4all-hub",
                AUDIENCE, Clock.systemUTC()).issue(adminId, "admin", Role.ADMIN, 0).value();

        HubApi.Response me = api.get("/v1/users/me", signedWithOldKey);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("username").asString()).isEqualTo("admin");
    }

    @Test
    void shouldCreateAUserPublishItsChannelsAndLetItLogIn(TestStack stack) {
        String username = "ana-" + UUID.randomUUID().toString().substring(0, 8);
        HubApi.Response created = api.post("/v1/users", admin, "{\"username\":\"" + username + "\",\"password\":\"s3cret-pass\","
                + "\"display_name\":\"Ana\",\"channels\":{\"whatsapp\":\"+5511987654321\"}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("channels").path("whatsapp").asString()).isEqualTo("+5511987654321");
        UUID userId = UUID.fromString(created.body().path("user_id").asString());
        String token = api.login(username, "s3cret-pass");
        assertThat(api.get("/v1/users/me", token).body().path("user_id").asString()).isEqualTo(userId.toString());
        assertThat(api.post("/v1/users", admin, "{\"username\":\"" + username + "\",\"password\":\"another-pass\","
                + "\"display_name\":\"Again\"}").status()).isEqualTo(409);
        assertThat(api.post("/v1/users", token, "{\"username\":\"x-" + username + "\",\"password\":\"another-pass\","
                + "\"display_name\":\"Not allowed\"}").status()).isEqualTo(403);

        UserChanged event = KafkaEvents.await(stack, Topics.USER_CHANGES, e -> e.userId().equals(userId), 1).get(0);
        assertThat(event.channels()).containsEntry(Channel.WHATSAPP, "+5511987654321");
        assertThat(event.username()).isEqualTo(username);
    }

    @Test
    void shouldReplaceAUsersChannelsAndPublishThem(TestStack stack) {
        String username = "chan-" + UUID.randomUUID().toString().substring(0, 8);
        UUID userId = UUID.fromString(api.post("/v1/users", admin, "{\"username\":\"" + username + "\",\"password\":"
                + "\"a-good-password\",\"display_name\":\"Chan\",\"channels\":{\"whatsapp\":\"+5511912345678\"}}")
                .body().path("user_id").asString());

        HubApi.Response changed = api.patch("/v1/users/" + userId, admin, "{\"channels\":{\"instagram\":\"178414\"}}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("channels").path("instagram").asString()).isEqualTo("178414");
        assertThat(changed.body().path("channels").has("whatsapp")).as("replaced, not merged").isFalse();
        assertThat(changed.body().path("display_name").asString()).isEqualTo("Chan");
        UserChanged event = KafkaEvents.await(stack, Topics.USER_CHANGES,
                e -> e.userId().equals(userId) && e.channels().containsKey(Channel.INSTAGRAM), 1).get(0);
        assertThat(event.channels()).containsOnlyKeys(Channel.INSTAGRAM);
        HubApi.Response invalid = api.patch("/v1/users/" + userId, admin, "{\"channels\":{\"whatsapp\":\"12\"}}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.raw()).contains("channels.whatsapp");
        String token = api.login(username, "a-good-password");
        assertThat(api.get("/v1/users/me", token).body().path("channels").path("instagram").asString()).isEqualTo("178414");
    }

    /** Admins list users and contacts page by page, found by username, display name or channel address. */
    @Test
    void shouldListAndFindUsersForAdministratorsOnly(TestStack stack) throws Exception {
        String tag = "dir" + UUID.randomUUID().toString().substring(0, 6);
        String number = "+55119" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
        List<String> names = List.of(tag + "-a", tag + "-b", tag + "-c", tag + "-d");
        for (String name : names) {
            api.createUser(admin, name, "a-good-password");
        }
        UUID byNumber = UUID.fromString(api.post("/v1/users", admin, "{\"username\":\"" + tag + "-phone\","
                + "\"password\":\"a-good-password\",\"display_name\":\"Zé " + tag.toUpperCase(Locale.ROOT)
                + " Phone\",\"channels\":{\"whatsapp\":\"" + number + "\"}}").body().path("user_id").asString());
        assertThat(api.patch("/v1/users/" + api.post("/v1/users", admin, "{\"username\":\"" + tag + "-gone\","
                + "\"password\":\"a-good-password\",\"display_name\":\"Gone\"}").body().path("user_id").asString(),
                admin, "{\"disabled\":true}").status()).isEqualTo(200);
        try (Connection c = stack.openDatabaseConnection()) {
            c.createStatement().execute("UPDATE users SET erased_at = now() WHERE username = '" + tag + "-b'");
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            HubApi.Response page = api.get("/v1/users?q=" + tag.toUpperCase(Locale.ROOT) + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().path("users").size()).isLessThanOrEqualTo(2);
            page.body().path("users").forEach(user -> seen.add(user.path("username").asString()
                    + (user.path("disabled").asBoolean() ? " (disabled)" : "") + " " + user.path("kind").asString()));
            cursor = page.body().path("next_cursor").asString(null);
        } while (cursor != null);
        assertThat(seen).as("username order, erased left out, case ignored").containsExactly(tag + "-a user",
                tag + "-c user", tag + "-d user", tag + "-gone (disabled) user", tag + "-phone user");

        JsonNode byName = api.get("/v1/users?q=z%C3%A9%20" + tag, admin).body().path("users");
        assertThat(byName.size()).isEqualTo(1);
        assertThat(byName.get(0).path("user_id").asString()).isEqualTo(byNumber.toString());
        JsonNode byAddress = api.get("/v1/users?q=" + number.substring(1), admin).body().path("users");
        assertThat(byAddress.size()).isEqualTo(1);
        assertThat(byAddress.get(0).path("channels").path("whatsapp").asString()).isEqualTo(number);
        assertThat(api.get("/v1/users?q=" + tag + "%25", admin).body().path("users").size())
                .as("a % in the query is a character, not a wildcard").isZero();

        String user = api.login(tag + "-a", "a-good-password");
        assertThat(api.get("/v1/users", user).status()).isEqualTo(403);
        assertThat(api.get("/v1/users?cursor=not-a-cursor", admin).status()).isEqualTo(400);
    }

    @Test
    void shouldNameEveryInvalidFieldAndRejectBodiesThatAreNotJson() {
        HubApi.Response invalid = api.post("/v1/users", admin,
                "{\"username\":\"A B\",\"password\":\"short\",\"display_name\":\"\",\"channels\":{\"whatsapp\":\"12345\"}}");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        invalid.body().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).contains("username", "password", "display_name", "channels.whatsapp");

        assertThat(api.post("/v1/users", admin, "text/plain", "username=x").status()).isEqualTo(415);
        HubApi.Response malformed = api.post("/v1/users", admin, "{\"username\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.raw()).doesNotContain("Exception").doesNotContain("at io.");
        assertThat(api.get("/v1/no-such-thing", admin).status()).isEqualTo(404);
    }

    @Test
    void shouldAuthenticateAnIntegratorWithAnApiKeyShownOnce() {
        HubApi.Response created = api.post("/v1/api-keys", admin, "{\"name\":\"crm\"}");
        assertThat(created.status()).isEqualTo(201);
        String key = created.body().path("api_key").asString();
        assertThat(key).startsWith("c4a_");

        assertThat(api.get("/v1/users/me", key).status()).isEqualTo(200);
        assertThat(api.get("/v1/users/me", "c4a_" + "x".repeat(43)).status()).isEqualTo(401);
        assertThat(api.post("/v1/api-keys", key, "{\"name\":\"no\"}").status()).as("integrators are not admins").isEqualTo(403);
    }

    /** A user's streams carry that user's conversations: an API key gets neither, until integrator streams exist. */
    @Test
    void shouldRefuseAnApiKeyOnTheWebSocketExactlyAsOnTheEventStream() throws Exception {
        String key = api.post("/v1/api-keys", admin, "{\"name\":\"streams\"}").body().path("api_key").asString();
        assertThat(api.get("/v1/stream", key).status()).isEqualTo(403);

        CompletableFuture<java.net.http.WebSocket> handshake = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + key).subprotocols("chat4all.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), new java.net.http.WebSocket.Listener() { });
        assertThatThrownBy(() -> handshake.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(403));
        // a user's token still opens it
        java.net.http.WebSocket opened = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + admin).subprotocols("chat4all.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), new java.net.http.WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        opened.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }
}

package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Every route of the served OpenAPI document against the callers that must be turned away (issue
 * 17): no credentials and a signed-out token get 401 everywhere under {@code /v1} but sign-in; a
 * plain user gets 403 on the admin routes; an API key gets 403 on the admin routes and on the user
 * streams. New routes are covered as soon as they are in the document.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RouteSecurityTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> PUBLIC = List.of("POST /v1/auth/token");

    @Value("${local.server.port}")
    int port;

    private record Route(String method, String path) {

        boolean adminOnly() {
            return path.startsWith("/v1/admin/") || path.startsWith("/v1/api-keys")
                    || path.equals("/v1/users") || method.equals("PATCH") && path.startsWith("/v1/users/");
        }

        boolean userStream() {
            return path.equals("/v1/stream") || path.equals("/v1/ws");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Test
    void shouldTurnAwayEveryCallerARouteIsNotFor() throws Exception {
        HubApi api = new HubApi(port);
        String admin = api.login("admin", "test-admin-password");
        String username = "routes-" + UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, username, "a-good-password");
        String user = api.login(username, "a-good-password");
        String signedOut = api.login(username, "a-good-password");
        assertThat(api.post("/v1/auth/logout", signedOut, "{}").status()).isEqualTo(204);
        String key = api.post("/v1/api-keys", admin, "{\"name\":\"routes\"}").body().path("api_key").asString();

        JsonNode document = api.get("/v3/api-docs", null).body();
        List<Route> routes = routes(document);
        assertThat(routes).hasSizeGreaterThan(25);
        List<String> wrong = new ArrayList<>();
        for (Route route : routes) {
            // what the document (Swagger UI) tells a reader must be what this test expects of the gateway
            JsonNode operation = document.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
            String expected = PUBLIC.contains(route.toString()) ? "public" : route.adminOnly() ? "admin"
                    : route.userStream() ? "users" : "authenticated";
            if (!operation.isMissingNode() && !expected.equals(operation.path("x-hub-access").asString(""))) {
                wrong.add(route + " is documented as '" + operation.path("x-hub-access").asString("") + "', expected "
                        + expected);
            }
            if (PUBLIC.contains(route.toString())) {
                continue;
            }
            expect(wrong, route, "anonymous", null, 401);
            expect(wrong, route, "signed out", signedOut, 401);
            expect(wrong, route, "forged", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", 401);
            if (route.adminOnly()) {
                expect(wrong, route, "user", user, 403);
                expect(wrong, route, "API key", key, 403);
            }
            if (route.userStream()) {
                expect(wrong, route, "API key", key, 403);
            }
        }
        assertThat(wrong).as("routes that answered otherwise").isEmpty();
    }

    private void expect(List<String> wrong, Route route, String caller, String token, int status) throws Exception {
        int got = call(route, token);
        if (got != status) {
            wrong.add(route + " as " + caller + ": " + got + ", expected " + status);
        }
    }

    /** The route with made-up ids and an empty JSON body: the answer must come from security, before any of it is read. */
    private int call(Route route, String token) throws Exception {
        String path = route.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(route.method(), route.method().equals("GET") || route.method().equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<Void> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    private static List<Route> routes(JsonNode openApi) {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                if (List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    routes.add(new Route(method, path.getKey()));
                }
            }
        }
        if (routes.stream().noneMatch(r -> r.path().equals("/v1/ws"))) {
            routes.add(new Route("GET", "/v1/ws")); // the WebSocket is not a controller: not in the document
        }
        return routes;
    }
}

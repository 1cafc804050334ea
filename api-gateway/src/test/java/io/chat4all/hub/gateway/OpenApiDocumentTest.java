package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v3/api-docs} is served without credentials and agrees with docs/api.md: every
 * endpoint the contract names and the gateway serves appears with the contract's path, and schemas
 * use the wire's snake_case names.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OpenApiDocumentTest {

    /** Endpoints of the contract built so far (method, path as in docs/api.md). */
    private static final List<Map.Entry<String, String>> BUILT = List.of(
            Map.entry("post", "/v1/auth/token"),
            Map.entry("post", "/v1/users"),
            Map.entry("get", "/v1/users"),
            Map.entry("get", "/v1/users/me"),
            Map.entry("post", "/v1/auth/logout"),
            Map.entry("patch", "/v1/users/{id}"),
            Map.entry("post", "/v1/api-keys"),
            Map.entry("get", "/v1/api-keys"),
            Map.entry("delete", "/v1/api-keys/{id}"),
            Map.entry("patch", "/v1/api-keys/{id}"),
            Map.entry("post", "/v1/conversations"),
            Map.entry("get", "/v1/conversations"),
            Map.entry("get", "/v1/conversations/{id}"),
            Map.entry("post", "/v1/conversations/{id}/members"),
            Map.entry("delete", "/v1/conversations/{id}/members/{user_id}"),
            Map.entry("patch", "/v1/conversations/{id}/members/{user_id}"),
            Map.entry("post", "/v1/messages"),
            Map.entry("get", "/v1/conversations/{id}/messages"),
            Map.entry("get", "/v1/messages/{message_id}"),
            Map.entry("get", "/v1/messages/{message_id}/status"),
            Map.entry("get", "/v1/search"),
            Map.entry("post", "/v1/admin/archive"),
            Map.entry("get", "/v1/admin/jobs/{job_id}"),
            Map.entry("get", "/v1/stream"));

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldServeTheDocumentWithEveryBuiltEndpointOfTheContract() throws IOException {
        HubApi.Response response = new HubApi(port).get("/v3/api-docs", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode paths = response.body().path("paths");
        String contract = Files.readString(Path.of("..", "docs", "api.md"));
        for (Map.Entry<String, String> endpoint : BUILT) {
            assertThat(paths.path(endpoint.getValue()).has(endpoint.getKey()))
                    .as("%s %s in /v3/api-docs", endpoint.getKey(), endpoint.getValue()).isTrue();
            assertThat(contract).as("docs/api.md names %s", endpoint.getValue())
                    .contains(endpoint.getValue().replace("{id}", "{").split("\\{")[0]);
        }
        assertThat(contractPaths(contract)).as("every contract path the gateway serves is in the document")
                .allSatisfy(path -> {
                    if (BUILT.stream().anyMatch(e -> e.getValue().equals(path))) {
                        assertThat(paths.has(path)).isTrue();
                    }
                });
        assertThat(response.raw()).contains("access_token").contains("conversation_id").doesNotContain("accessToken");
    }

    /** Every operation says who may call it (checked against what the gateway does in RouteSecurityTest). */
    @Test
    void shouldStateOnEveryOperationWhoMayCallIt() {
        JsonNode paths = new HubApi(port).get("/v3/api-docs", null).body().path("paths");
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!List.of("public", "authenticated", "users", "admin")
                        .contains(operation.getValue().path("x-hub-access").asString(""))) {
                    undocumented.add(operation.getKey() + " " + path.getKey());
                }
            }
        }
        assertThat(undocumented).isEmpty();
        JsonNode token = paths.path("/v1/auth/token").path("post");
        assertThat(token.path("x-hub-access").asString()).isEqualTo("public");
        assertThat(token.path("security").isArray() && token.path("security").isEmpty())
                .as("sign-in needs no security scheme: %s", token).isTrue();
        JsonNode archive = paths.path("/v1/admin/archive").path("post");
        assertThat(archive.path("x-hub-access").asString()).isEqualTo("admin");
        assertThat(archive.path("description").asString()).startsWith("Needs an administrator");
        assertThat(paths.path("/v1/stream").path("get").path("x-hub-access").asString()).isEqualTo("users");
        assertThat(paths.path("/v1/messages").path("post").path("x-hub-access").asString()).isEqualTo("authenticated");
    }

    /** Swagger UI on the public port, without credentials, reading this document. */
    @Test
    void shouldServeSwaggerUi() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/swagger-ui.html")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().getPath()).endsWith("/swagger-ui/index.html");
        assertThat(page.body()).contains("swagger-ui");
        HttpResponse<String> config = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v3/api-docs/swagger-config")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs");
    }

    private static List<String> contractPaths(String contract) {
        List<String> paths = new ArrayList<>();
        Matcher m = Pattern.compile("`(?:GET|POST|DELETE|PUT|PATCH) (/v1/[^`?\\s]+)").matcher(contract);
        while (m.find()) {
            paths.add(m.group(1).replace("{conversation_id}", "{id}"));
        }
        return paths;
    }
}

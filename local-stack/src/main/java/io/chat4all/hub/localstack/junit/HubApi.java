package io.chat4all.hub.localstack.junit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the gateway's API in tests: what an integrator would use. */
public final class HubApi {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String base;

    public HubApi(int port) {
        this("http://127.0.0.1:" + port);
    }

    public HubApi(String baseUrl) {
        this.base = baseUrl;
    }

    /** Status, content type, Retry-After, the parsed JSON body (missing node if none) and the raw body. */
    public record Response(int status, String contentType, String retryAfter, JsonNode body, String raw) {
    }

    public Response get(String path, String token) {
        return send(builder(path, token).GET());
    }

    public Response post(String path, String token, String json) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, String token, String contentType, String body) {
        return send(builder(path, token).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A JSON POST with extra headers (a webhook's signature) and no bearer token. */
    public Response postWithHeaders(String path, java.util.Map<String, String> headers, String json) {
        HttpRequest.Builder builder = builder(path, null).header("Content-Type", "application/json");
        headers.forEach(builder::header);
        return send(builder.POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public String login(String username, String password) {
        Response response = post("/v1/auth/token", null, "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (response.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + response.raw());
        }
        return response.body().path("access_token").asString();
    }

    /** Creates a user as {@code adminToken} and returns its id. */
    public java.util.UUID createUser(String adminToken, String username, String password) {
        Response response = post("/v1/users", adminToken, "{\"username\":\"" + username + "\",\"password\":\"" + password
                + "\",\"display_name\":\"" + username + "\"}");
        if (response.status() != 201) {
            throw new AssertionError("creating " + username + " failed: " + response.raw());
        }
        return java.util.UUID.fromString(response.body().path("user_id").asString());
    }

    public Response patch(String path, String token, String json) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path, String token) {
        return send(builder(path, token).DELETE());
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.missingNode() : parse(response.body());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), body, response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.missingNode();
        }
    }
}

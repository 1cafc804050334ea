package io.chat4all.hub.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the simulator over HTTP as the channel adapters and the tests do. */
final class SimulatorClient {

    static final String TOKEN = "test-access-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    SimulatorClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** A provider call with a valid bearer token. */
    Response send(String path, Object body) {
        return send(path, json(body), "Bearer " + TOKEN, Duration.ofSeconds(10));
    }

    /** A provider call with a raw body and any {@code Authorization} (null for none). */
    Response send(String path, String rawBody, String authorization, Duration timeout) throws UncheckedIOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rawBody));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return exchange(request.build());
    }

    /** A control API call ({@code /_sim/...}). */
    Response post(String path, Object body) {
        return exchange(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body)))
                .build());
    }

    Response get(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    Response delete(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build());
    }

    static String json(Object body) {
        return body instanceof String ? (String) body : JSON.writeValueAsString(body);
    }

    private Response exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

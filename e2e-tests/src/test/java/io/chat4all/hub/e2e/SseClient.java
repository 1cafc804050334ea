package io.chat4all.hub.e2e;

import io.chat4all.hub.localstack.junit.HubApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events client for tests: opens {@code GET /v1/stream}, parses frames on a thread
 * of its own and queues their JSON data (heartbeat comments are counted, not queued).
 */
final class SseClient extends FrameClient {

    private final InputStream body;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; fails the test unless the server answers 200 with an event stream. */
    static SseClient open(String baseUrl, String token, String after) throws Exception {
        HttpResponse<InputStream> response = request(baseUrl, token, after);
        if (response.statusCode() != 200) {
            String problem = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("GET /v1/stream answered " + response.statusCode() + ": " + problem);
        }
        return new SseClient(response.body());
    }

    static HttpResponse<InputStream> request(String baseUrl, String token, String after) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/stream"
                        + (after == null ? "" : "?after=" + after)))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    frames.add(HubApi.JSON.readTree(data.toString()));
                    data.setLength(0);
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // closing
        }
    }
}

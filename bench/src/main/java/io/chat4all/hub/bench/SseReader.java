package io.chat4all.hub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One client of {@code GET /v1/stream} on a thread of its own: hands every frame's JSON to a
 * consumer and, when the server ends the stream (or the connection drops), reconnects with the
 * last cursor it saw, as a real client would.
 */
final class SseReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String gatewayUrl;
    private final String token;
    private final Consumer<JsonNode> frames;
    private final AtomicLong reconnects;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean open = true;
    private volatile InputStream body;
    private String cursor;

    SseReader(String gatewayUrl, String token, Consumer<JsonNode> frames, AtomicLong reconnects) {
        this.gatewayUrl = gatewayUrl;
        this.token = token;
        this.frames = frames;
        this.reconnects = reconnects;
        this.thread = new Thread(this::run, "bench-sse");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the first stream is open (its {@code ready} frame came). */
    void awaitReady() {
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no stream opened in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean first = true;
        while (open) {
            if (!first) {
                reconnects.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            first = false;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/stream"
                                + (cursor == null ? "" : "?after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
                HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                if (response.statusCode() != 200) {
                    log.warn("stream answered {}: {}", response.statusCode(),
                            new String(body.readAllBytes(), StandardCharsets.UTF_8));
                    continue;
                }
                read(body);
            } catch (IOException e) {
                if (open) {
                    log.info("stream dropped ({}); reconnecting", e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void read(InputStream in) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null && open; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    JsonNode frame = JSON.readTree(data.toString());
                    data.setLength(0);
                    if (frame.hasNonNull("cursor")) {
                        cursor = frame.path("cursor").asString();
                    }
                    if ("ready".equals(frame.path("type").asString())) {
                        ready.countDown();
                    } else if ("error".equals(frame.path("type").asString())) {
                        log.info("stream ended by the server: {}", frame.path("reason").asString());
                    }
                    frames.accept(frame);
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}

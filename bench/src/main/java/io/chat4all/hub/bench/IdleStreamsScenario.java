package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code idle-streams}: how many idle real-time streams one gateway holds, and at what memory.
 * Opens {@code --connections} (2,000) {@code GET /v1/stream} connections, {@code --per-user} (10, the
 * gateway's default per-user limit) per user, never reading them beyond the headers, holds them
 * for {@code --hold} seconds (90, so heartbeats run), and reports the gateway's memory (PSS of its
 * process, and its heap as the JVM reports it) before and after, per connection.
 */
final class IdleStreamsScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private final Endpoints endpoints;
    private final Path root;
    private final int connections;
    private final int perUser;
    private final Duration hold;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    IdleStreamsScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.endpoints = endpoints;
        this.root = root;
        this.connections = Integer.parseInt(options.getOrDefault("connections", "2000"));
        this.perUser = Integer.parseInt(options.getOrDefault("per-user", "10"));
        this.hold = Duration.ofSeconds(Long.parseLong(options.getOrDefault("hold", "90")));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("connections", connections);
        parameters.put("per_user", perUser);
        parameters.put("hold_s", hold.toSeconds());
        Result result = new Result("idle-streams", parameters);
        int users = (connections + perUser - 1) / perUser;
        log.info("idle-streams: creating {} users", users);
        Population population = Population.create(endpoints.gatewayUrl(), endpoints.admin().password(), users, 0, 1, 1);
        HubProcesses hub = new HubProcesses(root);
        String gateway = endpoints.services().get("api-gateway").management();
        long pssBefore = hub.memory().getOrDefault("api-gateway", 0L);
        double heapBefore = Metrics.sum(gateway, "jvm_memory_used_bytes", "area=\"heap\"");
        double openBefore = Metrics.sum(gateway, "hub_realtime_connections", null);

        List<InputStream> open = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        long t0 = System.nanoTime();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Population.Member member = population.users().get(i / perUser);
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoints.gatewayUrl() + "/v1/stream"))
                    .header("Authorization", "Bearer " + member.token()).header("Accept", "text/event-stream").build();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).handle((response, error) -> {
                if (error != null || response.statusCode() != 200) {
                    refused.incrementAndGet();
                } else {
                    synchronized (open) {
                        open.add(response.body());
                    }
                }
                return null;
            }));
            if (pending.size() == 200) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                pending.clear();
                log.info("idle-streams: {} open, {} refused", open.size(), refused.get());
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        log.info("idle-streams: {} open after {} s; holding for {} s", open.size(), Math.round(openSeconds), hold.toSeconds());
        long deadline = System.nanoTime() + hold.toNanos();
        long pssMax = 0;
        while (System.nanoTime() < deadline) {
            pssMax = Math.max(pssMax, hub.memory().getOrDefault("api-gateway", 0L));
            LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
        }
        double held = Metrics.sum(gateway, "hub_realtime_connections", null) - openBefore;
        long pssAfter = hub.memory().getOrDefault("api-gateway", 0L);
        double heapAfter = Metrics.sum(gateway, "jvm_memory_used_bytes", "area=\"heap\"");
        result.put("connections_opened", open.size());
        result.put("connections_refused", refused.get());
        result.put("open_seconds", Math.round(openSeconds * 10) / 10.0);
        result.put("held_by_gateway_after_hold", (long) held);
        result.put("gateway_pss_before_mb", pssBefore >> 20);
        result.put("gateway_pss_after_mb", pssAfter >> 20);
        result.put("gateway_pss_max_mb", pssMax >> 20);
        result.put("gateway_heap_before_mb", Math.round(heapBefore / (1 << 20)));
        result.put("gateway_heap_after_mb", Math.round(heapAfter / (1 << 20)));
        result.put("pss_per_connection_kb", open.isEmpty() ? 0 : Math.round((pssAfter - pssBefore) / 1024.0 / open.size()));
        for (InputStream stream : open) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing
            }
        }
        return result;
    }
}

package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.junit.HubApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code search}: how fresh search is and how fast the indexer indexes.
 *
 * <ol>
 *   <li><b>accept → searchable</b>: messages sent at a steady {@code --rate} into one group, each
 *       with the run's word; a member searches that word ({@code sort=recent}, paging until it
 *       reaches hits it has seen) every {@code --poll-ms}; a message's latency is from its
 *       {@code accepted_at} (the 202) to the poll that first returned it. The poll interval bounds
 *       the resolution (on average it adds half of it).</li>
 *   <li><b>indexing throughput</b>: {@code --rows} canonical rows inserted into PostgreSQL in one
 *       transaction, then the time until the indexer's {@code hub_indexer_documents_total} counted
 *       them all (Debezium → Kafka → bulk); then the same for deleting them.</li>
 * </ol>
 */
final class SearchScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private final Endpoints endpoints;
    private final int rate;
    private final Duration duration;
    private final Duration poll;
    private final int rows;

    SearchScenario(Endpoints endpoints, Map<String, String> options) {
        this.endpoints = endpoints;
        this.rate = Integer.parseInt(options.getOrDefault("rate", "50"));
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "60")));
        this.poll = Duration.ofMillis(Long.parseLong(options.getOrDefault("poll-ms", "50")));
        this.rows = Integer.parseInt(options.getOrDefault("rows", "20000"));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rate", rate);
        parameters.put("duration_s", duration.toSeconds());
        parameters.put("poll_ms", poll.toMillis());
        parameters.put("rows", rows);
        Result result = new Result("search", parameters);
        freshness(result);
        throughput(result);
        return result;
    }

    private void freshness(Result result) {
        Population population = Population.create(endpoints.gatewayUrl(), endpoints.admin().password(), 3, 1, 3, 3);
        Population.Room room = population.rooms().get(0);
        HubApi api = new HubApi(endpoints.gatewayUrl());
        String word = "fresh" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Map<String, Instant> accepted = new ConcurrentHashMap<>();
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(3);
        Thread poller = new Thread(() -> {
            String token = room.members().get(1).token();
            while (!Thread.currentThread().isInterrupted()) {
                long due = System.nanoTime() + poll.toNanos();
                pollOnce(api, token, word, accepted, seen, latency);
                LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
            }
        }, "search-poller");
        poller.setDaemon(true);
        poller.start();
        log.info("search: sending {} messages/s for {} s; polling every {} ms", rate, duration.toSeconds(), poll.toMillis());
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long next = start;
        int sent = 0;
        while (next < end) {
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            String id = UUID.randomUUID().toString();
            HubApi.Response response = api.post("/v1/messages", room.members().get(sent % 3).token(),
                    "{\"message_id\":\"" + id + "\",\"conversation_id\":\"" + room.id() + "\",\"payload\":{\"type\":\"text\","
                            + "\"text\":\"" + word + " " + Population.text(50, 300) + "\"}}");
            if (response.status() == 202) {
                accepted.put(id, Instant.parse(response.body().path("accepted_at").asString()));
            }
            sent++;
            next += interval;
            if (sent % (rate * 10) == 0) {
                log.info("search: {} sent, {} searchable", sent, seen.size());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < accepted.size() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        poller.interrupt();
        result.put("messages_accepted", accepted.size());
        result.put("messages_found", seen.size());
        result.put("accept_to_searchable_ms", LoadDriver.percentiles(latency));
    }

    private void pollOnce(HubApi api, String token, String word, Map<String, Instant> accepted, Map<String, Boolean> seen,
                          Histogram latency) {
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            HubApi.Response response = api.get("/v1/search?sort=recent&limit=200&q=" + word
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token);
            if (response.status() != 200) {
                return;
            }
            Instant now = Instant.now();
            boolean reachedSeen = false;
            for (JsonNode hit : response.body().path("hits")) {
                String id = hit.path("message_id").asString();
                Instant at = accepted.get(id);
                if (seen.containsKey(id)) {
                    reachedSeen = true;
                } else if (at != null) {
                    seen.put(id, true);
                    synchronized (latency) {
                        latency.recordValue(Math.max(1, Duration.between(at, now).toNanos() / 1000));
                    }
                }
            }
            cursor = response.body().path("next_cursor").isString() ? response.body().path("next_cursor").asString() : null;
            if (reachedSeen || cursor == null) {
                return;
            }
        }
    }

    private void throughput(Result result) {
        Map<String, String> env = endpoints.env();
        String indexer = endpoints.services().get("indexer").management();
        UUID conversation = UUID.randomUUID();
        UUID sender = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"),
                env.get("POSTGRES_PASSWORD"))) {
            double indexedBefore = documents(indexer, "indexed");
            long t0 = System.nanoTime();
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO messages (msg_id, message_id, conversation_id, seq, sender_id, payload, metadata, channels,
                                          participants, request_hash, accepted_at, routed_at)
                    SELECT -1000000000000 - g, gen_random_uuid(), ?, g, ?,
                           jsonb_build_object('type', 'text', 'text', 'bench row ' || g || ' ' || md5(g::text)),
                           '{}'::jsonb, '{}', ARRAY[?]::uuid[], 'bench', now(), now()
                    FROM generate_series(1, ?) g""")) {
                insert.setObject(1, conversation);
                insert.setObject(2, sender);
                insert.setObject(3, sender);
                insert.setInt(4, rows);
                insert.executeUpdate();
            }
            double inserted = (System.nanoTime() - t0) / 1e9;
            double indexedSeconds = awaitDocuments(indexer, "indexed", indexedBefore + rows, t0);
            result.put("rows_insert_seconds", round(inserted));
            result.put("index_seconds", round(indexedSeconds));
            result.put("indexed_docs_per_s", Math.round(rows / indexedSeconds));

            double deletedBefore = documents(indexer, "deleted");
            long t1 = System.nanoTime();
            try (PreparedStatement delete = db.prepareStatement("DELETE FROM messages WHERE conversation_id = ?")) {
                delete.setObject(1, conversation);
                delete.executeUpdate();
            }
            double deletedSeconds = awaitDocuments(indexer, "deleted", deletedBefore + rows, t1);
            result.put("delete_seconds", round(deletedSeconds));
            result.put("deleted_docs_per_s", Math.round(rows / deletedSeconds));
        } catch (SQLException e) {
            throw new IllegalStateException("the throughput part failed: " + e.getMessage(), e);
        }
    }

    private double awaitDocuments(String indexer, String outcome, double target, long since) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        double last = -1;
        while (System.nanoTime() < deadline) {
            double now = documents(indexer, outcome);
            if (now >= target) {
                return (System.nanoTime() - since) / 1e9;
            }
            if (now != last) {
                log.info("search: {} documents {} so far ({} to go)", outcome, (long) now, (long) (target - now));
                last = now;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        throw new IllegalStateException("the indexer did not get to " + (long) target + " " + outcome + " documents in 10 minutes");
    }

    /** {@code hub_indexer_documents_total{outcome=…}} from the indexer's Prometheus endpoint. */
    private double documents(String indexer, String outcome) {
        return Metrics.sum(indexer, "hub_indexer_documents_total", "outcome=\"" + outcome + "\"");
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}

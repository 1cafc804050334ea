package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.junit.HubApi;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code archive}: how fast the consolidator archives and how small the archive is.
 *
 * <ol>
 *   <li>{@code --users} users of the run, each with {@code --conversations} conversations of
 *       history accepted 30 days ago, {@code --rows} copies in all, written straight into
 *       {@code participant_messages} (texts of chat-like words, 20–400 characters).</li>
 *   <li>The same rows as JSON lines ({@code row_to_json}), measured in PostgreSQL: the size to
 *       compare the Parquet objects with.</li>
 *   <li>One archive job through {@code POST /v1/admin/archive} for history older than 20 days;
 *       rows/s is the job's rows over its own start → finish time (as the consolidator records it).</li>
 *   <li>{@code --reads} history pages of 50 (random conversation, random {@code before_seq}) read
 *       back through the gateway from the archive: their latency.</li>
 * </ol>
 */
final class ArchiveScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final String WORDS = "pedido entrega status cliente order shipped hello thanks today tomorrow invoice"
            + " payment confirmed tracking number address delivery window support ticket";

    private final Endpoints endpoints;
    private final int users;
    private final int conversations;
    private final int rows;
    private final int reads;

    ArchiveScenario(Endpoints endpoints, Map<String, String> options) {
        this.endpoints = endpoints;
        this.users = Integer.parseInt(options.getOrDefault("users", "4"));
        this.conversations = Integer.parseInt(options.getOrDefault("conversations", "10"));
        this.rows = Integer.parseInt(options.getOrDefault("rows", "200000"));
        this.reads = Integer.parseInt(options.getOrDefault("reads", "300"));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("users", users);
        parameters.put("conversations_per_user", conversations);
        parameters.put("rows", rows);
        parameters.put("reads", reads);
        Result result = new Result("archive", parameters);
        Population population = Population.create(endpoints.gatewayUrl(), endpoints.admin().password(), users, 0, 1, 1);
        List<Population.Member> owners = population.users();
        Map<UUID, List<UUID>> conversationsOf = new LinkedHashMap<>();
        owners.forEach(o -> {
            List<UUID> ids = new ArrayList<>();
            for (int c = 0; c < conversations; c++) {
                ids.add(UUID.randomUUID());
            }
            conversationsOf.put(o.id(), ids);
        });
        int perConversation = Math.max(1, rows / (users * conversations));
        Map<String, String> env = endpoints.env();
        try (Connection db = DriverManager.getConnection(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"),
                env.get("POSTGRES_PASSWORD"))) {
            long t0 = System.nanoTime();
            long base = -3_000_000_000_000L - ThreadLocalRandom.current().nextLong(1_000_000_000L) * 1_000_000L;
            int written = 0;
            for (Map.Entry<UUID, List<UUID>> owner : conversationsOf.entrySet()) {
                for (UUID conversation : owner.getValue()) {
                    written += insert(db, owner.getKey(), conversation, perConversation, base - written);
                }
                log.info("archive: {} rows written", written);
            }
            result.put("rows_written", written);
            result.put("insert_seconds", round((System.nanoTime() - t0) / 1e9));
            long jsonBytes = jsonBytes(db, owners);
            result.put("json_bytes", jsonBytes);

            JsonNode job = archive(population);
            long archived = job.path("progress").path("rows").asLong();
            long parquetBytes = job.path("progress").path("bytes").asLong();
            double seconds = Duration.between(Instant.parse(job.path("started_at").asString()),
                    Instant.parse(job.path("finished_at").asString())).toMillis() / 1000.0;
            result.put("job_state", job.path("state").asString());
            result.put("rows_archived", archived);
            result.put("objects", job.path("progress").path("objects").asInt());
            result.put("archive_seconds", round(seconds));
            result.put("archive_rows_per_s", Math.round(archived / seconds));
            result.put("parquet_bytes", parquetBytes);
            result.put("parquet_to_json_ratio", Math.round(1000.0 * parquetBytes / jsonBytes) / 1000.0);
            result.put("history_page_from_archive_ms", readBack(population, conversationsOf, perConversation));
        } catch (SQLException e) {
            throw new IllegalStateException("the archive scenario failed: " + e.getMessage(), e);
        }
        return result;
    }

    private static int insert(Connection db, UUID owner, UUID conversation, int count, long firstMsgId) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO participant_messages (owner_id, conversation_id, seq, msg_id, message_id, sender_id, direction,
                                                  payload, metadata, accepted_at, stored_at)
                SELECT ?, ?, g, ? - g, gen_random_uuid(),
                       CASE WHEN g % 2 = 0 THEN ? ELSE gen_random_uuid() END,
                       CASE WHEN g % 2 = 0 THEN 'outgoing' ELSE 'incoming' END,
                       jsonb_build_object('type', 'text', 'text', (
                           SELECT substr(string_agg(w[1 + (abs(hashint8(g * 31 + i)) % array_length(w, 1))], ' '), 1, 20 + g % 380)
                           FROM generate_series(1, 80) i, (SELECT string_to_array(?, ' ') AS w) words)),
                       '{}'::jsonb, now() - interval '30 days' + g * interval '10 milliseconds',
                       now() - interval '30 days' + g * interval '10 milliseconds' + interval '40 milliseconds'
                FROM generate_series(1, ?) g""")) {
            insert.setObject(1, owner);
            insert.setObject(2, conversation);
            insert.setLong(3, firstMsgId);
            insert.setObject(4, owner);
            insert.setString(5, WORDS);
            insert.setInt(6, count);
            return insert.executeUpdate();
        }
    }

    /** The run's rows as JSON lines, the way a naive export would keep them. */
    private static long jsonBytes(Connection db, List<Population.Member> owners) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT sum(octet_length(row_to_json(p)::text) + 1)"
                + " FROM participant_messages p WHERE owner_id = ANY(?)")) {
            Array ids = db.createArrayOf("uuid", owners.stream().map(Population.Member::id).toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private JsonNode archive(Population population) {
        HubApi api = new HubApi(endpoints.gatewayUrl());
        String admin = api.login("admin", endpoints.admin().password());
        String cutoff = Instant.now().minus(20, ChronoUnit.DAYS).toString();
        HubApi.Response queued = api.post("/v1/admin/archive", admin, "{\"older_than\":\"" + cutoff + "\"}");
        if (queued.status() != 202) {
            throw new IllegalStateException("POST /v1/admin/archive answered " + queued.status() + ": " + queued.raw());
        }
        String job = queued.body().path("job_id").asString();
        log.info("archive: job {} queued (history older than {})", job, cutoff);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode state = api.get("/v1/admin/jobs/" + job, admin).body();
            String line = state.path("state").asString() + ", users " + state.path("progress").path("users_done").asInt()
                    + "/" + state.path("progress").path("users_total").asInt() + ", rows "
                    + state.path("progress").path("rows").asLong();
            if (!line.equals(last)) {
                log.info("archive: job {}", line);
                last = line;
            }
            if ("succeeded".equals(state.path("state").asString()) || "failed".equals(state.path("state").asString())) {
                return state;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        throw new IllegalStateException("archive job " + job + " did not finish in 30 minutes (is the consolidator up?)");
    }

    private Map<String, Object> readBack(Population population, Map<UUID, List<UUID>> conversationsOf, int perConversation) {
        HubApi api = new HubApi(endpoints.gatewayUrl());
        Histogram latency = new Histogram(3);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int failures = 0;
        for (int i = 0; i < reads; i++) {
            Population.Member owner = population.users().get(random.nextInt(population.users().size()));
            List<UUID> ids = conversationsOf.get(owner.id());
            UUID conversation = ids.get(random.nextInt(ids.size()));
            long before = 2 + random.nextInt(perConversation);
            long t0 = System.nanoTime();
            HubApi.Response page = api.get("/v1/conversations/" + conversation + "/messages?limit=50&before_seq=" + before,
                    owner.token());
            latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            if (page.status() != 200 || page.body().path("messages").size() != Math.min(50, before - 1)) {
                failures++;
            }
        }
        Map<String, Object> figures = LoadDriver.percentiles(latency);
        figures.put("wrong_pages", failures);
        return figures;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}

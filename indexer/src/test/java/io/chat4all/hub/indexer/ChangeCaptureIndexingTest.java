package io.chat4all.hub.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The indexer in this JVM against real PostgreSQL, Kafka and Elasticsearch: rows written to
 * {@code messages} reach the search index through Debezium and the CDC topic, deletes propagate,
 * a restart resumes from the stored offset, and an Elasticsearch outage is survived. It has its
 * own slot, offsets table, consumer group and index alias, so nothing else in the JVM interferes.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeCaptureIndexingTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String alias = "test-messages-" + suffix;
    private final String slot = "test_slot_" + suffix;
    private TestStack stack;
    private MessageRows rows;
    private ElasticsearchClient search;
    private RestClient restClient;
    private ConfigurableApplicationContext indexer;

    @BeforeAll
    void startIndexer(TestStack stack) {
        this.stack = stack;
        rows = new MessageRows(stack);
        restClient = RestClient.builder(HttpHost.create(stack.elasticsearchUrl())).build();
        search = new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()));
        indexer = start();
    }

    @AfterAll
    void stopIndexer() throws Exception {
        if (indexer != null) {
            indexer.close();
        }
        rows.dropSlot(slot);
        restClient.close();
    }

    private ConfigurableApplicationContext start() {
        // Command-line arguments: they win over application.yml (builder properties would not).
        return new SpringApplicationBuilder(IndexerApplication.class).profiles("test").run(
                "--server.port=0",
                // the test reads the indexing lag from the health details
                "--management.endpoint.health.show-details=always",
                "--hub.indexer.index-alias=" + alias,
                "--hub.indexer.cdc.slot-name=" + slot,
                "--hub.indexer.cdc.offsets-table=test_offsets_" + suffix,
                "--hub.indexer.cdc.restart-backoff=1s",
                "--hub.indexer.cdc.heartbeat-interval=1s",
                "--hub.indexer.indexing.refresh-interval=200ms",
                "--spring.kafka.consumer.group-id=test-indexer-" + suffix);
    }

    @Test
    void shouldIndexTextAndCaptionsButNoEncryptedContentAndRemoveDeletedMessages() throws Exception {
        UUID conversation = UUID.randomUUID();
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID text = rows.insert(conversation, 1, alice, List.of(alice, bob), MessageRows.text("The quarterly report is ready"));
        UUID encrypted = rows.insert(conversation, 2, bob, List.of(alice, bob),
                "{\"type\":\"encrypted\",\"ciphertext\":\"cXVhcnRlcmx5\",\"nonce\":\"bm9uY2U=\",\"alg\":\"xsalsa20-poly1305\"}");
        UUID file = rows.insert(conversation, 3, alice, List.of(alice, bob),
                "{\"type\":\"file\",\"file_id\":\"" + UUID.randomUUID() + "\",\"caption\":\"Quarterly invoice scan\"}");

        await().atMost(WAIT).until(() -> documents(conversation).size() == 3);
        Map<String, JsonNode> docs = documents(conversation);
        JsonNode textDoc = docs.get(text.toString());
        assertThat(textDoc.path("text").asString()).isEqualTo("The quarterly report is ready");
        assertThat(textDoc.path("seq").asLong()).isEqualTo(1);
        assertThat(textDoc.path("sender_id").asString()).isEqualTo(alice.toString());
        assertThat(textDoc.path("participants").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder(
                alice.toString(), bob.toString());
        assertThat(textDoc.path("created_at").asString()).isNotEmpty();
        assertThat(docs.get(encrypted.toString()).path("payload_type").asString()).isEqualTo("encrypted");
        assertThat(docs.get(encrypted.toString()).has("text")).as("encrypted content is never indexed").isFalse();
        assertThat(docs.get(file.toString()).path("text").asString()).isEqualTo("Quarterly invoice scan");

        assertThat(matching(conversation, "QUARTERLY")).as("analysed text, case-insensitive")
                .containsExactlyInAnyOrder(text.toString(), file.toString());
        assertThat(matching(conversation, "cXVhcnRlcmx5")).as("ciphertext is not searchable").isEmpty();

        rows.delete(text);
        await().atMost(WAIT).until(() -> !documents(conversation).containsKey(text.toString()));
        assertThat(documents(conversation)).containsOnlyKeys(encrypted.toString(), file.toString());
        assertThat(indexer.getBean(MeterRegistry.class).get("hub.search.freshness").timer().count()).isPositive();
    }

    /**
     * WAL written by other tables while messages is quiet must not pile up behind the slot:
     * past max_slot_wal_keep_size PostgreSQL would invalidate it for good and search would stop.
     * Plain heartbeats do not do it; the heartbeat's write to cdc_heartbeat does.
     */
    @Test
    void shouldMoveItsSlotWhileMessagesIsQuietAndOtherTablesWrite() throws Exception {
        // the engine streams from its slot first, so the writes below come after its position
        await().atMost(WAIT).until(() -> {
            try (Connection c = stack.openDatabaseConnection();
                 PreparedStatement q = c.prepareStatement(
                         "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
                q.setString(1, slot);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
        String walAfterWrites;
        try (Connection c = stack.openDatabaseConnection(); Statement s = c.createStatement()) {
            String scratch = "cdc_scratch_" + suffix;
            s.execute("CREATE TABLE " + scratch + " (id bigint PRIMARY KEY, body text)");
            s.execute("INSERT INTO " + scratch + " SELECT g, repeat('x', 500) FROM generate_series(1, 20000) g");
            s.execute("DROP TABLE " + scratch);
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                rs.next();
                walAfterWrites = rs.getString(1);
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            try (Connection c = stack.openDatabaseConnection();
                 PreparedStatement q = c.prepareStatement("SELECT confirmed_flush_lsn >= ?::pg_lsn"
                         + " FROM pg_replication_slots WHERE slot_name = ?")) {
                q.setString(1, walAfterWrites);
                q.setString(2, slot);
                try (ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next() && rs.getBoolean(1)).as("the slot confirmed past %s", walAfterWrites).isTrue();
                }
            }
        });
    }

    /**
     * PostgreSQL invalidates a slot that falls more than {@code max_slot_wal_keep_size} behind; the
     * indexer then drops it, clears its offsets and snapshots again, so the row written while
     * nobody read the slot (its WAL is gone) still becomes searchable.
     */
    @Test
    void shouldRecoverASlotPostgresqlInvalidatedAndIndexTheRowsItMissed() throws Exception {
        Connection superuser = superuserOrSkip();
        UUID sender = UUID.randomUUID();
        UUID conversation = indexOne(sender, "before the slot was lost");
        indexer.close();
        UUID missed = rows.insert(conversation, 2, sender, List.of(sender), MessageRows.text("while nobody read the slot"));
        invalidateSlot(superuser);

        indexer = start();
        await().atMost(WAIT).until(() -> documents(conversation).containsKey(missed.toString()));
        assertThat(documents(conversation)).hasSize(2);
        assertThat(walStatus()).as("a new slot").isIn("reserved", "extended");
        assertThat(recoveries()).as("a new context: its first start recovered").isEqualTo(1.0);
        await().atMost(WAIT).until(() -> "UP".equals(cdcStatus()));
    }

    /** Lost while the engine streams: the slot check restarts the engine, whose start recovers the slot. */
    @Test
    void shouldRecoverASlotLostWhileTheEngineWasStreaming() throws Exception {
        Connection superuser = superuserOrSkip();
        UUID sender = UUID.randomUUID();
        UUID conversation = indexOne(sender, "before the slot was lost");
        double recoveries = recoveries();

        invalidateSlot(superuser);

        await().atMost(WAIT).until(() -> recoveries() == recoveries + 1);
        UUID after = rows.insert(conversation, 2, sender, List.of(sender), MessageRows.text("after the recovery"));
        await().atMost(WAIT).until(() -> documents(conversation).containsKey(after.toString()));
        assertThat(walStatus()).as("a new slot").isIn("reserved", "extended");
        await().atMost(WAIT).until(() -> "UP".equals(cdcStatus()));
    }

    private Connection superuserOrSkip() throws Exception {
        Optional<Connection> superuser = stack.openSuperuserConnection();
        assumeTrue(superuser.isPresent(), "needs the test stack's own PostgreSQL (a server setting is changed)");
        return superuser.get();
    }

    /** A new conversation whose first message (seq 1) is indexed. */
    private UUID indexOne(UUID sender, String text) {
        UUID conversation = UUID.randomUUID();
        rows.insert(conversation, 1, sender, List.of(sender), MessageRows.text(text));
        await().atMost(WAIT).until(() -> documents(conversation).size() == 1);
        return conversation;
    }

    private double recoveries() {
        return indexer.getBean(MeterRegistry.class).get("hub.indexer.slot.recoveries").counter().count();
    }

    /**
     * Makes PostgreSQL invalidate the test's slot: a tiny {@code max_slot_wal_keep_size}, WAL well
     * past it, a checkpoint (repeated until the slot is lost); the setting is reset afterwards.
     */
    private void invalidateSlot(Connection superuser) throws Exception {
        try (Connection su = superuser; Statement s = su.createStatement()) {
            s.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
            s.execute("SELECT pg_reload_conf()");
            try {
                String scratch = "cdc_lost_" + suffix;
                await().atMost(WAIT).until(() -> {
                    s.execute("CREATE TABLE " + scratch + " (id bigint PRIMARY KEY, body text)");
                    s.execute("INSERT INTO " + scratch + " SELECT g, repeat('x', 500) FROM generate_series(1, 20000) g");
                    s.execute("DROP TABLE " + scratch);
                    s.execute("SELECT pg_switch_wal()");
                    s.execute("CHECKPOINT");
                    return "lost".equals(walStatus());
                });
            } finally {
                s.execute("ALTER SYSTEM RESET max_slot_wal_keep_size");
                s.execute("SELECT pg_reload_conf()");
            }
        }
    }

    private String walStatus() throws Exception {
        try (Connection c = stack.openDatabaseConnection();
             PreparedStatement q = c.prepareStatement("SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, slot);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void shouldResumeFromItsStoredOffsetAfterARestartAndIndexEveryMessageExactlyOnce() throws Exception {
        UUID conversation = UUID.randomUUID();
        UUID sender = UUID.randomUUID();
        Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            long seq = 0;
            while (writing.get()) {
                written.add(rows.insert(conversation, ++seq, sender, List.of(sender), MessageRows.text("restart " + seq)).toString());
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }, "message-writer");
        writer.start();
        await().atMost(WAIT).until(() -> !documents(conversation).isEmpty());
        indexer.close();
        int whenStopped = written.size();
        await().atMost(WAIT).until(() -> written.size() >= whenStopped + 100);
        indexer = start();
        int whenStarted = written.size();
        await().atMost(WAIT).until(() -> written.size() >= whenStarted + 50);
        writing.set(false);
        writer.join();

        await().atMost(WAIT).until(() -> documents(conversation).size() >= written.size());
        Map<String, JsonNode> docs = documents(conversation);
        assertThat(docs.keySet()).as("every message, none missing").isEqualTo(written);
        assertThat(count(conversation)).as("one document per message").isEqualTo(written.size());
        assertThat(written).hasSizeGreaterThan(100);
    }

    @Test
    void shouldSayDegradedWhileElasticsearchIsDownAndCatchUpLosingNothingOnceItIsBack() throws Exception {
        UUID conversation = UUID.randomUUID();
        UUID sender = UUID.randomUUID();
        rows.insert(conversation, 1, sender, List.of(sender), MessageRows.text("before the outage"));
        await().atMost(WAIT).until(() -> documents(conversation).size() == 1);

        stack.stopEngine(EngineKind.ELASTICSEARCH);
        List<String> written = new ArrayList<>();
        try {
            for (int seq = 2; seq <= 41; seq++) {
                written.add(rows.insert(conversation, seq, sender, List.of(sender), MessageRows.text("during " + seq)).toString());
            }
            await().atMost(WAIT).until(() -> "DEGRADED".equals(health().path("components").path("indexing").path("status").asString()));
            JsonNode health = health();
            assertThat(health.path("status").asString()).isEqualTo("DEGRADED");
            assertThat(health.path("components").path("elasticsearch").path("status").asString()).isEqualTo("DEGRADED");
            assertThat(health.path("components").path("indexing").path("details").path("lag_seconds").asDouble()).isPositive();
        } finally {
            stack.startEngine(EngineKind.ELASTICSEARCH);
        }

        await().atMost(WAIT).until(() -> documents(conversation).size() == 41);
        assertThat(documents(conversation).keySet()).containsAll(written);
        await().atMost(WAIT).until(() -> "UP".equals(health().path("status").asString()));
    }

    private JsonNode health() throws Exception {
        HttpResponse<String> response = healthResponse();
        assertThat(response.statusCode()).as("DEGRADED still answers 200").isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The {@code cdc} component's status, whatever the HTTP status (a lost slot is DOWN: 503). */
    private String cdcStatus() throws Exception {
        return JSON.readTree(healthResponse().body()).path("components").path("cdc").path("status").asString();
    }

    private HttpResponse<String> healthResponse() throws Exception {
        String port = indexer.getEnvironment().getProperty("local.management.port");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The documents of a conversation by id, after a refresh. */
    private Map<String, JsonNode> documents(UUID conversation) throws Exception {
        if (!search.indices().existsAlias(a -> a.name(alias)).value()) {
            return Map.of();
        }
        search.indices().refresh(r -> r.index(alias));
        SearchResponse<com.fasterxml.jackson.databind.JsonNode> response = search.search(s -> s.index(alias).size(1000)
                .query(q -> q.term(t -> t.field("conversation_id").value(conversation.toString()))),
                com.fasterxml.jackson.databind.JsonNode.class);
        Map<String, JsonNode> docs = new java.util.HashMap<>();
        response.hits().hits().forEach(hit -> docs.put(hit.id(), JSON.readTree(hit.source().toString())));
        return docs;
    }

    private long count(UUID conversation) throws Exception {
        return search.count(c -> c.index(alias)
                .query(q -> q.term(t -> t.field("conversation_id").value(conversation.toString())))).count();
    }

    private Set<String> matching(UUID conversation, String text) throws Exception {
        SearchResponse<Void> response = search.search(s -> s.index(alias).query(q -> q.bool(b -> b
                .filter(f -> f.term(t -> t.field("conversation_id").value(conversation.toString())))
                .must(m -> m.match(mt -> mt.field("text").query(text))))), Void.class);
        Set<String> ids = new HashSet<>();
        response.hits().hits().forEach(hit -> ids.add(hit.id()));
        return ids;
    }
}

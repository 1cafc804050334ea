package io.chat4all.hub.e2e;

import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The core pipeline of this test JVM: storage-writer, message-router and api-gateway as processes, started once. */
final class Pipeline {

    static final String ADMIN_PASSWORD = "e2e-admin-password";
    static final String JWT_KEYS = "e2e:an-end-to-end-test-secret-of-at-least-32-bytes";
    private static Pipeline instance;

    final ServiceProcess storageWriter;
    final ServiceProcess router;
    final ServiceProcess gateway;

    private Pipeline(TestStack stack) {
        storageWriter = ServiceProcess.start(HubService.STORAGE_WRITER, stack, Map.of());
        router = ServiceProcess.start(HubService.MESSAGE_ROUTER, stack, Map.of("HUB_ROUTER_COMMIT_INTERVAL_MS", "50"));
        gateway = ServiceProcess.start(HubService.API_GATEWAY, stack, Map.of(
                "HUB_ADMIN_USERNAME", "admin",
                "HUB_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "HUB_JWT_KEYS", JWT_KEYS,
                "HUB_NODE_ID", "1",
                // the tests drive a few users hard; quotas have their own test (api-gateway QuotasTest)
                "HUB_QUOTAS_ENABLED", "false"));
        warmUp();
    }

    /**
     * Sends one message through the fresh pipeline and waits for it in history, so tests start on
     * a pipeline that flows (the router's first rebalance and Kafka's first transactions on a new
     * broker can take a while on a loaded machine) and the time it took shows in the test output.
     */
    private void warmUp() {
        long start = System.nanoTime();
        HubApi api = api();
        Chat chat = privateChat(api);
        String token = chat.token();
        String conversation = chat.conversation();
        HubApi.Response sent = api.post("/v1/messages", token, "{\"message_id\":\"" + UUID.randomUUID()
                + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"warm-up\"}}");
        if (sent.status() != 202) {
            throw new IllegalStateException("the warm-up message was refused: " + sent.raw());
        }
        await().atMost(Duration.ofMinutes(3)).alias("the first message through the fresh pipeline is stored").until(() ->
                api.get("/v1/conversations/" + conversation + "/messages", token).body().path("messages").size() == 1);
        System.out.printf("pipeline: first message stored in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    static synchronized Pipeline get(TestStack stack) {
        if (instance == null) {
            instance = new Pipeline(stack);
        }
        return instance;
    }

    private ServiceProcess indexer;

    /** The indexer (change data capture → search), started on first need. */
    synchronized ServiceProcess indexer(TestStack stack) {
        if (indexer == null) {
            indexer = ServiceProcess.start(HubService.INDEXER, stack, Map.of("INDEXER_REFRESH_INTERVAL", "200ms"));
        }
        return indexer;
    }

    /** What another gateway instance needs to share this pipeline's users and tokens ({@code nodeId}: its Snowflake node). */
    static Map<String, String> gatewayEnvironment(String nodeId) {
        return new HashMap<>(Map.of("HUB_ADMIN_USERNAME", "admin", "HUB_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "HUB_JWT_KEYS", JWT_KEYS, "HUB_NODE_ID", nodeId, "HUB_QUOTAS_ENABLED", "false"));
    }

    String gatewayUrl() {
        return gateway.url();
    }

    HubApi api() {
        return new HubApi(gateway.url());
    }

    /**
     * Archives {@code user}'s whole history now (a consolidator started for the job, objects of at
     * most {@code rowsPerObject} rows) through {@code POST /v1/admin/archive}; returns once the job succeeded.
     */
    void archiveNow(TestStack stack, String adminToken, UUID user, int rowsPerObject, Duration wait) {
        ServiceProcess consolidator = ServiceProcess.start(HubService.CONSOLIDATOR, stack,
                Map.of("CONSOLIDATOR_POLL", "200ms", "CONSOLIDATOR_MAX_ROWS_PER_OBJECT", String.valueOf(rowsPerObject)));
        try {
            HubApi api = api();
            String job = api.post("/v1/admin/archive", adminToken, "{\"user_id\":\"" + user + "\",\"older_than\":\""
                    + Instant.now() + "\"}").body().path("job_id").asString();
            await().atMost(wait).alias("archive job " + job + " succeeds").until(() -> "succeeded".equals(
                    api.get("/v1/admin/jobs/" + job, adminToken).body().path("state").asString()));
        } finally {
            consolidator.close();
        }
    }

    /** Ana's token in a new private conversation with Bob (both new users). */
    record Chat(String username, String token, String conversation) {
    }

    static Chat privateChat(HubApi api) {
        String admin = api.login("admin", ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        UUID bob = api.createUser(admin, "bob-" + suffix, "bob-password");
        api.createUser(admin, "ana-" + suffix, "ana-password");
        String ana = api.login("ana-" + suffix, "ana-password");
        String conversation = api.post("/v1/conversations", ana, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}")
                .body().path("conversation_id").asString();
        return new Chat("ana-" + suffix, ana, conversation);
    }

    /** The single number a SQL query ({@code count(*)} …) answers, {@code args} bound in order. */
    static long count(TestStack stack, String sql, Object... args) throws SQLException {
        try (Connection c = stack.openDatabaseConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

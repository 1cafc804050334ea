package io.chat4all.hub.e2e;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import java.util.HashMap;
import java.util.Map;

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
                "HUB_NODE_ID", "1"));
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
                "HUB_JWT_KEYS", JWT_KEYS, "HUB_NODE_ID", nodeId));
    }

    String gatewayUrl() {
        return gateway.url();
    }

    HubApi api() {
        return new HubApi(gateway.url());
    }
}

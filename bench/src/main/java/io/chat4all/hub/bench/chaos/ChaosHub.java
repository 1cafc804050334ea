package io.chat4all.hub.bench.chaos;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.ProviderWiring;
import io.chat4all.hub.localstack.Secrets;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.process.Ports;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole hub of its own for a chaos run, on the stack of this JVM (engines in a scratch directory,
 * free ports): Kafka, PostgreSQL, S3, Elasticsearch, storage-writer, message-router, two gateways,
 * the provider simulator, channel-whatsapp and the indexer, each a process that can be killed with
 * SIGKILL and started again on the same port and data.
 */
public final class ChaosHub implements AutoCloseable {

    static final String ADMIN_PASSWORD = "chaos-admin-password";
    private static final String JWT_KEYS = "chaos:a-chaos-run-secret-that-is-at-least-32-bytes-long";
    private static final Logger log = LoggerFactory.getLogger("hub.chaos");

    /** Something a fault kills and starts again. */
    public interface Part {

        String name();

        void kill();

        void restart();
    }

    private final TestStack stack;
    final ServiceProcess storageWriter;
    final ServiceProcess router;
    final ServiceProcess gateway;
    final ServiceProcess secondGateway;
    final ServiceProcess simulator;
    final ServiceProcess whatsapp;
    final ServiceProcess indexer;

    private ChaosHub(TestStack stack) {
        this.stack = stack;
        long t0 = System.nanoTime();
        stack.ensure(EnumSet.of(EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH));
        storageWriter = ServiceProcess.start(HubService.STORAGE_WRITER, stack, Map.of());
        router = ServiceProcess.start(HubService.MESSAGE_ROUTER, stack, Map.of("HUB_ROUTER_COMMIT_INTERVAL_MS", "100"));
        gateway = ServiceProcess.start(HubService.API_GATEWAY, stack, gatewayEnvironment("1"));
        secondGateway = ServiceProcess.start(HubService.API_GATEWAY, stack, gatewayEnvironment("2"));
        int simulatorPort = Ports.freePort();
        int whatsappPort = Ports.freePort();
        ProviderWiring wiring = new ProviderWiring(Secrets.ephemeral());
        Map<String, String> simulatorEnv = new HashMap<>(wiring.simulator(local(whatsappPort), local(Ports.freePort())));
        simulatorEnv.put("SERVER_PORT", Integer.toString(simulatorPort));
        simulatorEnv.put("SIM_MAX_RECORDS", "1000000");
        simulator = ServiceProcess.start(HubService.PROVIDER_SIMULATOR, stack, simulatorEnv);
        Map<String, String> adapterEnv = new HashMap<>(wiring.adapters(local(simulatorPort)));
        adapterEnv.put("SERVER_PORT", Integer.toString(whatsappPort));
        // the run's rate, not Meta's default tier, so the adapter keeps up and deliveries settle
        adapterEnv.put("WHATSAPP_MESSAGES_PER_SECOND", "1000");
        whatsapp = ServiceProcess.start(HubService.CHANNEL_WHATSAPP, stack, adapterEnv);
        indexer = ServiceProcess.start(HubService.INDEXER, stack, Map.of("INDEXER_REFRESH_INTERVAL", "1s"));
        log.info("chaos: hub started in {} s (logs in {})", (System.nanoTime() - t0) / 1_000_000_000,
                stack.directory("logs"));
    }

    /** Starts the hub on this JVM's stack. */
    public static ChaosHub start() {
        return new ChaosHub(TestStack.get());
    }

    TestStack stack() {
        return stack;
    }

    List<String> gatewayUrls() {
        return List.of(gateway.url(), secondGateway.url());
    }

    HubApi api() {
        return new HubApi(gateway.url());
    }

    /** The faults of a run, in the order the issue lists them: the broker, the database, then each service. */
    List<Part> parts() {
        return List.of(engine("kafka", EngineKind.KAFKA), engine("postgres", EngineKind.POSTGRES),
                service("message-router", router), service("storage-writer", storageWriter),
                service("channel-whatsapp", whatsapp), service("indexer", indexer),
                service("api-gateway-2", secondGateway));
    }

    private Part engine(String name, EngineKind kind) {
        return new Part() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void kill() {
                stack.killEngine(kind);
            }

            @Override
            public void restart() {
                stack.startEngine(kind);
            }
        };
    }

    private static Part service(String name, ServiceProcess process) {
        return new Part() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void kill() {
                process.kill();
            }

            @Override
            public void restart() {
                process.start();
            }
        };
    }

    private static Map<String, String> gatewayEnvironment(String nodeId) {
        return Map.of("HUB_ADMIN_USERNAME", "admin", "HUB_ADMIN_PASSWORD", ADMIN_PASSWORD, "HUB_JWT_KEYS", JWT_KEYS,
                "HUB_NODE_ID", nodeId, "HUB_QUOTAS_ENABLED", "false");
    }

    private static String local(int port) {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        for (ServiceProcess process : List.of(indexer, whatsapp, simulator, secondGateway, gateway, router, storageWriter)) {
            process.close();
        }
    }
}

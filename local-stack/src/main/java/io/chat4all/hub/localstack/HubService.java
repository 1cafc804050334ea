package io.chat4all.hub.localstack;

import java.nio.file.Path;

/**
 * The seven services of the hub, each its own Spring Boot application with its own port, and the
 * provider simulator the local stack runs in place of Meta's APIs (not part of a deployment).
 */
public enum HubService {
    STORAGE_WRITER("storage-writer", 8084),
    API_GATEWAY("api-gateway", 8080),
    MESSAGE_ROUTER("message-router", 8081),
    CHANNEL_WHATSAPP("channel-whatsapp", 8082),
    CHANNEL_INSTAGRAM("channel-instagram", 8083),
    INDEXER("indexer", 8085),
    CONSOLIDATOR("consolidator", 8086),
    PROVIDER_SIMULATOR("provider-simulator", 8090);

    private final String module;
    private final int defaultPort;

    HubService(String module, int defaultPort) {
        this.module = module;
        this.defaultPort = defaultPort;
    }

    /** False for the provider simulator: a stand-in for Meta that production does not run. */
    public boolean deployed() {
        return this != PROVIDER_SIMULATOR;
    }

    /** The Maven module (and the service's name in logs, tables and endpoints.json). */
    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /**
     * Where the service's actuator (health, metrics) listens: a port of its own, its HTTP port +
     * 1000 unless {@link #managementPortVariable()} says otherwise. The simulator, not a hub
     * service, keeps its actuator on its one port.
     */
    public boolean separateManagementPort() {
        return deployed();
    }

    /** The services' default management port: their HTTP port + 1000 (hub-autoconfigure's ManagementPortDefault). */
    public static int defaultManagementPort(int port) {
        return port + 1000;
    }

    /** {@code HUB_API_GATEWAY_MANAGEMENT_PORT} etc. override the default management port. */
    public String managementPortVariable() {
        return "HUB_" + name() + "_MANAGEMENT_PORT";
    }

    /** {@code HUB_API_GATEWAY_PORT} etc. override the default port. */
    public String portVariable() {
        return "HUB_" + name() + "_PORT";
    }

    /** The executable jar the build produces for this service. */
    public Path jar(Path repositoryRoot, String version) {
        return repositoryRoot.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
    }
}

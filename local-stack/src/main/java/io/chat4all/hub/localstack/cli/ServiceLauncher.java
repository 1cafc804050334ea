package io.chat4all.hub.localstack.cli;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.StackConfig;
import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.OsProcesses;
import io.chat4all.hub.localstack.process.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts a service's executable jar as its own JVM, configured through environment variables only. */
final class ServiceLauncher {

    /**
     * C1 only ({@code TieredStopAtLevel=1}): twelve JVMs sharing a developer's few cores never let
     * C2 catch up (its compiler threads were a third of the gateway's CPU minutes after start);
     * without them the hub accepted 23 % more on 2 cores for 18 % less CPU per message
     * (docs/benchmarks.md). Deployments with cores of their own keep the JVM's default.
     */
    static final String DEFAULT_JAVA_OPTS = "-Xms64m -Xmx384m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"
            + " -XX:TieredStopAtLevel=1";

    private final Path repository;
    private final String version;
    private final StackLayout layout;
    private final Map<String, String> environment;

    ServiceLauncher(Path repository, String version, StackLayout layout, Map<String, String> environment) {
        this.repository = repository;
        this.version = version;
        this.layout = layout;
        this.environment = environment;
    }

    int port(HubService service) {
        return StackConfig.port(environment, service.portVariable(), service.defaultPort());
    }

    String url(HubService service) {
        return "http://127.0.0.1:" + port(service);
    }

    /** The actuator's port: its own for hub services (HTTP port + 1000 by default), the HTTP port for the simulator. */
    int managementPort(HubService service) {
        return service.separateManagementPort()
                ? StackConfig.port(environment, service.managementPortVariable(), HubService.defaultManagementPort(port(service)))
                : port(service);
    }

    String managementUrl(HubService service) {
        return "http://127.0.0.1:" + managementPort(service);
    }

    String readinessUrl(HubService service) {
        return managementUrl(service) + "/actuator/health/readiness";
    }

    void checkJar(HubService service) {
        Path jar = service.jar(repository, version);
        if (!Files.isRegularFile(jar)) {
            throw new StackException("the " + service.module() + " jar is missing: " + jar,
                    "build the services first: ./mvnw -DskipTests package (./hub up does it when run from the repository)");
        }
    }

    ManagedProcess start(HubService service, Map<String, String> connection, int nodeId) {
        Map<String, String> env = new LinkedHashMap<>(connection);
        env.put("SERVER_PORT", Integer.toString(port(service)));
        if (service.separateManagementPort()) {
            env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort(service)));
            // loopback only: the developer's machine, not the network it is on
            env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        }
        env.put("HUB_NODE_ID", Integer.toString(nodeId));
        env.put("HUB_DATA_DIR", layout.data(service.module()).toString());
        List<String> command = new ArrayList<>();
        command.add(OsProcesses.javaExecutable());
        command.addAll(Arrays.asList(environment.getOrDefault("HUB_SERVICE_JAVA_OPTS", DEFAULT_JAVA_OPTS).trim().split("\\s+")));
        command.add("-Dhub.service=" + service.module());
        command.add("-jar");
        command.add(service.jar(repository, version).toString());
        return ManagedProcess.start(service.module(), command, env, repository, layout.log(service.module()));
    }
}

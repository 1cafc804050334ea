package io.chat4all.hub.localstack.junit;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.engine.Probes;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.OsProcesses;
import io.chat4all.hub.localstack.process.Ports;
import io.chat4all.hub.localstack.process.StackException;
import io.chat4all.hub.localstack.process.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hub service running from its executable jar as its own process against the test JVM's stack,
 * exactly as {@code ./hub up} runs it: for end-to-end tests that stop, kill and restart services.
 * The jars come from the build ({@code <module>/target}); run the tests from the reactor
 * ({@code ./mvnw verify}) so they exist.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final HubService service;
    private final Map<String, String> environment;
    private final Path jar;
    private final Path log;
    private final int port;
    private final int managementPort;
    private ManagedProcess process;

    private final String readyPath;

    private ServiceProcess(HubService service, Map<String, String> environment, Path jar, Path log, int port,
                           int managementPort, String readyPath) {
        this.readyPath = readyPath;
        this.managementPort = managementPort;
        this.service = service;
        this.environment = environment;
        this.jar = jar;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the service on a free port (or {@code SERVER_PORT} of {@code extra}, for services that
     * must know each other's address before they start), its actuator on another free port (or
     * {@code MANAGEMENT_SERVER_PORT}), with the stack's connection variables plus {@code extra},
     * and waits until ready.
     */
    public static ServiceProcess start(HubService service, TestStack stack, Map<String, String> extra) {
        return start(service, stack, extra, "/actuator/health/readiness");
    }

    /**
     * As {@link #start(HubService, TestStack, Map)}, waiting for {@code readyPath} (on the
     * management port) to answer 200 instead of readiness: {@code /actuator/health/liveness} for a service started with a
     * dependency deliberately unreachable.
     */
    public static ServiceProcess start(HubService service, TestStack stack, Map<String, String> extra, String readyPath) {
        Path root = Path.of(System.getProperty("hub.root", "..")).toAbsolutePath().normalize();
        Path jar = service.jar(root, StackLayout.engineArtifacts().getProperty("hub.version"));
        if (!Files.isRegularFile(jar)) {
            throw new StackException("the " + service.module() + " jar is missing: " + jar,
                    "run the tests through the reactor (./mvnw verify), which packages the services first");
        }
        int port = extra.containsKey("SERVER_PORT") ? Integer.parseInt(extra.get("SERVER_PORT")) : Ports.freePort();
        int managementPort = !service.separateManagementPort() ? port
                : extra.containsKey("MANAGEMENT_SERVER_PORT") ? Integer.parseInt(extra.get("MANAGEMENT_SERVER_PORT"))
                : Ports.freePort();
        Map<String, String> env = new LinkedHashMap<>(stack.connection());
        env.put("SERVER_PORT", Integer.toString(port));
        if (service.separateManagementPort()) {
            env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        }
        env.put("HUB_DATA_DIR", stack.directory("services/" + service.module()).toString());
        env.putAll(extra);
        ServiceProcess started = new ServiceProcess(service, env, jar,
                stack.directory("logs").resolve(service.module() + "-" + port + ".log"), port, managementPort, readyPath);
        started.start();
        stack.recordProcess(started.process.pid());
        stack.closeAtExit(started);
        return started;
    }

    /** Starts it (again, after {@link #stop} or {@link #kill}) and waits until it is ready. */
    public void start() {
        process = ManagedProcess.start(service.module(), List.of(OsProcesses.javaExecutable(), "-Xms64m", "-Xmx320m",
                "-XX:+UseSerialGC", "-Dhub.test.stack=" + log.getParent().getParent(), "-jar", jar.toString()),
                environment, log.getParent(), log);
        Wait.until(service.module() + " on port " + port, START_TIMEOUT, () -> Probes.http200(managementUrl() + readyPath),
                process);
    }

    /** A clean stop (SIGTERM): the service finishes what it holds, as in a deployment. */
    public void stop() {
        process.stop("TERM", Duration.ofSeconds(30));
    }

    /** A crash (SIGKILL): nothing is finished, nothing is flushed. */
    public void kill() {
        process.stop("KILL", Duration.ofSeconds(10));
    }

    /** Whether the process still runs (a test hook may have halted it). */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The actuator's base URL ({@code /actuator/health}, {@code /actuator/prometheus}). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return service.module() + "@" + port;
    }
}

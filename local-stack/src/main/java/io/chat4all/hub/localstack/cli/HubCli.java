package io.chat4all.hub.localstack.cli;

import io.chat4all.hub.localstack.EngineSet;
import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.ProviderWiring;
import io.chat4all.hub.localstack.Secrets;
import io.chat4all.hub.localstack.StackConfig;
import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.engine.Engine;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.engine.PostgresEngine;
import io.chat4all.hub.localstack.engine.Probes;
import io.chat4all.hub.localstack.process.Directories;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.Ports;
import io.chat4all.hub.localstack.process.StackException;
import io.chat4all.hub.localstack.process.Wait;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./hub up [--detach] [--fresh] [--engines-only]}, {@code ./hub status}, {@code ./hub down}:
 * the whole hub on one machine, no Docker.
 */
public final class HubCli {

    private static final Logger out = LoggerFactory.getLogger("hub");
    private static final Duration ENGINE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SERVICE_TIMEOUT = Duration.ofMinutes(4);
    private static final String ADMIN_USERNAME = "admin";

    private final Path repository;
    private final Path home;
    /** Set once stopping began, so the foreground watch does not report the exits it causes. */
    private volatile boolean stopping;
    private final Map<String, String> environment;

    HubCli(Path repository, Path home, Map<String, String> environment) {
        this.repository = repository;
        this.home = home;
        this.environment = environment;
    }

    public static void main(String[] args) {
        Path repository = Path.of(System.getProperty("hub.root", ".")).toAbsolutePath().normalize();
        String homeVariable = System.getenv("HUB_HOME");
        Path home = homeVariable == null || homeVariable.isBlank() ? repository.resolve(".hub") : Path.of(homeVariable);
        HubCli cli = new HubCli(repository, home.toAbsolutePath(), System.getenv());
        int code;
        try {
            code = cli.run(List.of(args));
        } catch (StackException e) {
            out.error("error: {}", e.getMessage());
            out.error("  fix: {}", e.fix());
            LoggerFactory.getLogger(HubCli.class).debug("details", e);
            code = 1;
        }
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Returns the exit code, or -1 when {@code up} keeps running in the foreground. */
    int run(List<String> args) {
        if (args.isEmpty()) {
            return usage();
        }
        Set<String> flags = Set.copyOf(args.subList(1, args.size()));
        return switch (args.get(0)) {
            case "up" -> up(flags.contains("--detach"), flags.contains("--fresh"), flags.contains("--engines-only"));
            case "down" -> down();
            case "status" -> status();
            default -> usage();
        };
    }

    private int usage() {
        out.info("usage: ./hub up [--detach] [--fresh] [--engines-only] | ./hub status | ./hub down");
        return 2;
    }

    private Path stateFile() {
        return home.resolve("run").resolve("stack.json");
    }

    private Path endpointsFile() {
        return home.resolve("endpoints.json");
    }

    private int up(boolean detach, boolean fresh, boolean enginesOnly) {
        StackState.read(stateFile()).filter(s -> !s.alive().isEmpty()).ifPresent(s -> {
            throw new StackException("the hub is already running here (" + s.alive().size() + " processes, "
                    + home + ")", "see ./hub status, or stop it with ./hub down");
        });
        long t0 = System.nanoTime();
        if (fresh) {
            try {
                Directories.deleteTree(home);
                out.info("--fresh: removed {}", home);
            } catch (IOException e) {
                throw new StackException("cannot remove " + home + ": " + e.getMessage(), "remove it by hand", e);
            }
        }
        StackLayout layout = new StackLayout(home, StackLayout.defaultCache());
        layout.create();
        Secrets secrets = Secrets.loadOrCreate(home.resolve("secrets.properties"));
        StackConfig config = StackConfig.forHub(layout, secrets, environment);
        String version = StackLayout.engineArtifacts().getProperty("hub.version");
        ServiceLauncher launcher = new ServiceLauncher(repository, version, layout, environment);
        List<HubService> services = enginesOnly ? List.of() : List.of(HubService.values());
        services.forEach(launcher::checkJar);
        checkServicePortsFree(launcher, services);

        out.info("Starting Chat4All Hub in {}", home);
        Set<EngineKind> kinds = EnumSet.allOf(EngineKind.class);
        kinds.stream().filter(config::isExternal).forEach(kind ->
                out.info("  {} is external ({} is set): not starting one", kind.id(), kind.externalVariable()));
        StackState[] state = {new StackState(ProcessHandle.current().pid(), List.of())};
        Thread cleanup = new Thread(() -> stopQuietly(state[0]), "hub-stop");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            EngineSet engines = EngineSet.start(config, kinds, ENGINE_TIMEOUT, out::info);
            for (Engine engine : engines.engines()) {
                for (ManagedProcess p : engine.processes()) {
                    state[0] = state[0].with(new StackState.Part(p.name(), "engine", p.pid(),
                            engine instanceof PostgresEngine ? PostgresEngine.STOP_SIGNAL : "TERM", engine.address(),
                            engine.kind().id(), p.logFile().toString()));
                }
            }
            state[0].write(stateFile());
            Map<String, String> connection = new LinkedHashMap<>(engines.connection());
            connection.put("HUB_ADMIN_USERNAME", ADMIN_USERNAME);
            connection.put("HUB_ADMIN_PASSWORD", secrets.get("admin.password"));
            connection.put("HUB_JWT_KEYS", "local-1:" + secrets.get(Secrets.JWT_SECRET));
            // per-user quotas would throttle ./hub bench's few synthetic users sending thousands per second:
            // off on a developer's machine unless asked for (production keeps the default, on)
            connection.put("HUB_QUOTAS_ENABLED", System.getenv().getOrDefault("HUB_QUOTAS_ENABLED", "false"));
            // health details (lag figures, versions) for ./hub status and the developer; the
            // management ports listen on loopback only here (production: details for admins only)
            connection.put("HUB_HEALTH_DETAILS", System.getenv().getOrDefault("HUB_HEALTH_DETAILS", "always"));
            state[0] = startServices(launcher, services, connection, secrets, state[0]);
            state[0].write(stateFile());
            Endpoints endpoints = endpoints(launcher, services, engines, connection, secrets);
            endpoints.write(endpointsFile());
            printSummary(state[0], endpoints, secrets, (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            out.error("start-up failed; stopping what was started");
            Runtime.getRuntime().removeShutdownHook(cleanup);
            stopQuietly(state[0]);
            throw e;
        }
        if (detach) {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            state[0].detached().write(stateFile());
            out.info("Running in the background. ./hub status shows health; ./hub down stops everything.");
            return 0;
        }
        out.info("Running in the foreground: Ctrl-C stops everything (logs in {}).", layout.logs());
        watch(state[0]);
        return -1;
    }

    private void checkServicePortsFree(ServiceLauncher launcher, List<HubService> services) {
        List<String> taken = new ArrayList<>();
        for (HubService service : services) {
            if (!Ports.isFree(launcher.port(service))) {
                taken.add(launcher.port(service) + " (" + service.module() + ", " + service.portVariable() + ")");
            }
            if (service.separateManagementPort() && !Ports.isFree(launcher.managementPort(service))) {
                taken.add(launcher.managementPort(service) + " (" + service.module() + " management, "
                        + service.managementPortVariable() + ")");
            }
        }
        if (!taken.isEmpty()) {
            throw new StackException("port(s) already in use: " + String.join(", ", taken),
                    "stop whatever listens there, or set the variables named above to other ports");
        }
    }

    private StackState startServices(ServiceLauncher launcher, List<HubService> services, Map<String, String> connection,
                                     Secrets secrets, StackState state) {
        StackState current = state;
        ProviderWiring providers = new ProviderWiring(secrets);
        Map<String, String> withProviders = new LinkedHashMap<>(connection);
        Map<String, String> wiring = new LinkedHashMap<>(providers.adapters(launcher.url(HubService.PROVIDER_SIMULATOR)));
        wiring.putAll(providers.simulator(launcher.url(HubService.CHANNEL_WHATSAPP),
                launcher.url(HubService.CHANNEL_INSTAGRAM)));
        // a variable set in the shell wins (e.g. WHATSAPP_BASE_URL and a real token to try Meta itself)
        wiring.forEach((name, value) -> withProviders.put(name, environment.getOrDefault(name, value)));
        // storage-writer owns the schema (Flyway) and the simulator stands in for Meta: they go
        // first, the others after they are ready
        List<List<HubService>> waves = List.of(
                services.stream().filter(s -> s == HubService.STORAGE_WRITER || !s.deployed()).toList(),
                services.stream().filter(s -> s != HubService.STORAGE_WRITER && s.deployed()).toList());
        for (List<HubService> wave : waves) {
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            for (HubService service : wave) {
                long t0 = System.nanoTime();
                ManagedProcess process = launcher.start(service, withProviders, service.ordinal() + 1);
                current = current.with(new StackState.Part(service.module(), "service", process.pid(), "TERM",
                        launcher.url(service), launcher.readinessUrl(service), process.logFile().toString()));
                current.write(stateFile());
                ready.add(CompletableFuture.runAsync(() -> {
                    Wait.until(service.module(), SERVICE_TIMEOUT, () -> Probes.http200(launcher.readinessUrl(service)),
                            process);
                    out.info(String.format("  %-18s ready at %s (%.1f s)", service.module(), launcher.url(service),
                            (System.nanoTime() - t0) / 1e9));
                }));
            }
            try {
                CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                state.write(stateFile());
                if (e.getCause() instanceof StackException stackException) {
                    throw stackException;
                }
                throw e;
            }
        }
        return current;
    }

    private Endpoints endpoints(ServiceLauncher launcher, List<HubService> services, EngineSet engines,
                                Map<String, String> connection, Secrets secrets) {
        Map<String, Endpoints.Service> urls = new LinkedHashMap<>();
        for (HubService service : services) {
            urls.put(service.module(), new Endpoints.Service(launcher.url(service),
                    launcher.managementUrl(service) + "/actuator/health", launcher.managementUrl(service)));
        }
        Map<String, Map<String, String>> engineMap = new LinkedHashMap<>();
        for (Engine engine : engines.engines()) {
            engineMap.put(engine.kind().id(), new LinkedHashMap<>(engine.connection()));
        }
        return new Endpoints(services.isEmpty() ? null : launcher.url(HubService.API_GATEWAY), urls, engineMap,
                new Endpoints.Admin(ADMIN_USERNAME, secrets.get("admin.password")), connection);
    }

    private void printSummary(StackState state, Endpoints endpoints, Secrets secrets, double seconds) {
        out.info("");
        out.info(String.format("Chat4All Hub is up (%.1f s).", seconds));
        out.info(String.format("  %-18s %-8s %-38s %s", "PART", "PID", "ADDRESS", "LOG"));
        for (StackState.Part part : state.parts()) {
            out.info(String.format("  %-18s %-8d %-38s %s", part.name(), part.pid(), part.address(),
                    repository.relativize(Path.of(part.log())).toString()));
        }
        out.info("");
        if (endpoints.gatewayUrl() != null) {
            out.info("  API:        {}/v1  (health: {}/actuator/health)", endpoints.gatewayUrl(),
                    endpoints.services().get(HubService.API_GATEWAY.module()).management());
            out.info("  Try it:     {}/swagger-ui.html  (Authorize with a token from POST /v1/auth/token)",
                    endpoints.gatewayUrl());
        }
        out.info("  Endpoints:  {} (URLs, engine addresses and credentials for tools and scripts)", endpointsFile());
        if (secrets.createdNow()) {
            out.info("  Admin:      username '{}', password '{}'  (shown once; also in endpoints.json)",
                    ADMIN_USERNAME, secrets.get("admin.password"));
        } else {
            out.info("  Admin:      username '{}', password in {}", ADMIN_USERNAME, endpointsFile());
        }
        out.info("  Next:       ./hub status | ./hub down | docs/local-stack.md");
    }

    private void watch(StackState state) {
        CountDownLatch forever = new CountDownLatch(1);
        Set<String> reported = new java.util.HashSet<>();
        while (forever.getCount() > 0) {
            for (StackState.Part part : state.parts()) {
                if (!stopping && !part.process().isAlive() && reported.add(part.name())) {
                    out.warn("  {} exited unexpectedly; last lines of {}:{}{}", part.name(), part.log(),
                            System.lineSeparator(), part.process().tail(15));
                }
            }
            try {
                forever.await(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stopQuietly(StackState state) {
        if (state.parts().isEmpty()) {
            return;
        }
        stopping = true;
        out.info("Stopping Chat4All Hub...");
        state.stopAll(out::info);
        try {
            java.nio.file.Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            out.warn("could not remove {}: {}", stateFile(), e.getMessage());
        }
        out.info("Stopped. Data is kept in {} (./hub up --fresh starts empty).", home);
    }

    private int down() {
        StackState state = StackState.read(stateFile()).orElse(null);
        if (state == null || state.alive().isEmpty()) {
            out.info("The hub is not running here ({}).", home);
            try {
                java.nio.file.Files.deleteIfExists(stateFile());
            } catch (IOException e) {
                out.warn("could not remove {}: {}", stateFile(), e.getMessage());
            }
            return 0;
        }
        if (state.launcherPid() > 0) {
            ManagedProcess launcherProcess = ManagedProcess.attach("hub up", state.launcherPid(), home.resolve("logs/hub.log"));
            if (launcherProcess.isAlive()) {
                out.info("Asking the foreground ./hub up (pid {}) to stop everything...", state.launcherPid());
                launcherProcess.stop("TERM", Duration.ofSeconds(90));
            }
        }
        stopQuietly(state);
        return 0;
    }

    private int status() {
        StackState state = StackState.read(stateFile()).orElse(null);
        if (state == null) {
            out.info("The hub is not running here ({}). Start it with ./hub up", home);
            return 3;
        }
        Map<String, String> env = endpointsFile().toFile().exists() ? Endpoints.read(endpointsFile()).env() : Map.of();
        boolean allUp = true;
        out.info(String.format("  %-18s %-8s %-8s %s", "PART", "PID", "STATUS", "ADDRESS"));
        for (StackState.Part part : state.parts()) {
            boolean alive = part.process().isAlive();
            boolean healthy = alive && healthy(part, env);
            allUp &= healthy;
            out.info(String.format("  %-18s %-8d %-8s %s", part.name(), part.pid(),
                    !alive ? "STOPPED" : healthy ? "UP" : "DOWN", part.address()));
        }
        out.info(allUp ? "All parts are UP." : "Some parts are not UP: see their logs in " + home.resolve("logs"));
        return allUp ? 0 : 1;
    }

    private static boolean healthy(StackState.Part part, Map<String, String> env) {
        if (part.type().equals("service")) {
            return Probes.http200(part.check());
        }
        return switch (part.check()) {
            case "postgres" -> Probes.postgres(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"), env.get("POSTGRES_PASSWORD"));
            case "kafka" -> Probes.kafka(env.get("KAFKA_BOOTSTRAP_SERVERS"));
            case "s3" -> Probes.s3(env.get("S3_ENDPOINT"), env.get("S3_ACCESS_KEY"), env.get("S3_SECRET_KEY"), env.get("S3_BUCKET"));
            case "elasticsearch" -> Probes.elasticsearch(env.get("ELASTICSEARCH_URL"));
            default -> false;
        };
    }
}

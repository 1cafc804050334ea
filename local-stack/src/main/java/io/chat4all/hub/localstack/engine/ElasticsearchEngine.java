package io.chat4all.hub.localstack.engine;

import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.OsProcesses;
import io.chat4all.hub.localstack.process.StackException;
import io.chat4all.hub.localstack.process.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Elasticsearch 8.19 (the distribution published on Maven Central), single node on loopback,
 * security off. It refuses to run as root, so as root it runs as the unprivileged service user with
 * its own copy of the config directory (it writes its keystore there).
 */
public final class ElasticsearchEngine implements Engine {

    private final StackLayout layout;
    private final int httpPort;
    private final int transportPort;
    private final String heap;
    private ManagedProcess process;

    public ElasticsearchEngine(StackLayout layout, int httpPort, int transportPort, String heap) {
        this.layout = layout;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.heap = heap;
    }

    @Override
    public EngineKind kind() {
        return EngineKind.ELASTICSEARCH;
    }

    @Override
    public List<Integer> ports() {
        return List.of(httpPort, transportPort);
    }

    @Override
    public void start() {
        String version = StackLayout.engineArtifacts().getProperty("elasticsearch.version");
        Path zip = Path.of(StackLayout.engineArtifacts().getProperty("engines.dir"), "elasticsearch.zip");
        if (!Files.isRegularFile(zip)) {
            throw new StackException("the Elasticsearch distribution is missing at " + zip,
                    "build the project: ./mvnw -DskipTests package");
        }
        Path home = Archives.unpackOnce(layout.cache(), "elasticsearch-" + version, dir -> Archives.unzip(zip, dir))
                .resolve("elasticsearch-" + version);
        Path base = layout.data("elasticsearch");
        Path data = base.resolve("data");
        Path logs = base.resolve("logs");
        Path config = base.resolve("config");
        Path tmp = base.resolve("tmp");
        try {
            Files.createDirectories(data);
            Files.createDirectories(logs);
            Files.createDirectories(tmp);
            copyConfig(home.resolve("config"), config);
            OsProcesses.giveToServiceUser(base);
        } catch (IOException e) {
            throw new StackException("cannot prepare Elasticsearch in " + base + ": " + e.getMessage(),
                    "check disk space and permissions", e);
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/elasticsearch").toString()));
        Map.of("path.data", data.toString(),
                "path.logs", logs.toString(),
                "http.port", Integer.toString(httpPort),
                "transport.port", Integer.toString(transportPort),
                "network.host", "127.0.0.1",
                "discovery.type", "single-node",
                "cluster.name", "chat4all-local",
                "xpack.security.enabled", "false",
                "cluster.routing.allocation.disk.threshold_enabled", "false",
                "action.auto_create_index", "false").forEach((key, value) -> {
                    command.add("-E");
                    command.add(key + "=" + value);
                });
        Map<String, String> environment = Map.of(
                "ES_JAVA_HOME", System.getProperty("java.home"),
                "ES_PATH_CONF", config.toString(),
                "ES_TMPDIR", tmp.toString(),
                "ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap + " -XX:-AlwaysPreTouch",
                "CLI_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        process = ManagedProcess.start("elasticsearch", OsProcesses.asServiceUser(command), environment, base,
                layout.log("elasticsearch"));
    }

    private static void copyConfig(Path from, Path to) throws IOException {
        if (Files.exists(to.resolve("jvm.options"))) {
            return;
        }
        Files.createDirectories(to);
        try (var files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    public void awaitReady(Duration timeout) {
        Wait.until("Elasticsearch on port " + httpPort, timeout, this::isHealthy, process);
    }

    @Override
    public boolean isHealthy() {
        return Probes.elasticsearch(url());
    }

    @Override
    public List<ManagedProcess> processes() {
        return process == null ? List.of() : List.of(process);
    }

    @Override
    public String address() {
        return url();
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public Map<String, String> connection() {
        return Map.of("ELASTICSEARCH_URL", url());
    }
}

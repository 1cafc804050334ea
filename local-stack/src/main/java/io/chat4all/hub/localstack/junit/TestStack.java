package io.chat4all.hub.localstack.junit;

import io.chat4all.hub.localstack.EngineSet;
import io.chat4all.hub.localstack.StackConfig;
import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.engine.Engine;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.engine.PostgresEngine;
import io.chat4all.hub.localstack.process.Directories;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.StackException;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines of one test JVM: started on first need, shared by every test class of the JVM, and
 * stopped (their directory deleted) when the JVM exits. Stacks left behind by a killed JVM are
 * reaped by the next one.
 */
public final class TestStack {

    private static final Logger log = LoggerFactory.getLogger(TestStack.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static TestStack instance;

    private final StackConfig config;
    private final Map<String, String> connection = new LinkedHashMap<>();
    private final Set<EngineKind> started = EnumSet.noneOf(EngineKind.class);
    private final List<EngineSet> sets = new java.util.ArrayList<>();
    private final List<AutoCloseable> closeFirst = new java.util.ArrayList<>();
    private final boolean attached;

    private TestStack(StackConfig config, Map<String, String> attachedConnection) {
        this.config = config;
        this.attached = attachedConnection != null;
        if (attached) {
            connection.putAll(attachedConnection);
            started.addAll(EnumSet.allOf(EngineKind.class));
        }
    }

    /** The JVM's stack. */
    public static synchronized TestStack get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static TestStack create() {
        if (attachRequested()) {
            Map<String, String> env = AttachedHub.connection();
            log.info("tests attach to the running hub ({} variables from .hub/endpoints.json)", env.size());
            return new TestStack(null, env);
        }
        Path base = StackLayout.defaultCache().getParent().resolve("chat4all-hub-tests");
        TestStackReaper.reapAbandoned(base);
        Path root = base.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        StackLayout layout = new StackLayout(root, StackLayout.defaultCache());
        layout.create();
        TestStackReaper.claim(root);
        TestStack stack = new TestStack(StackConfig.forTests(layout), null);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::shutdown, "test-stack-shutdown"));
        return stack;
    }

    private static boolean attachRequested() {
        return Boolean.parseBoolean(System.getProperty("hub.test.attach", System.getenv("HUB_TEST_ATTACH")));
    }

    /** Starts the engines in {@code kinds} that are not running yet. */
    public synchronized void ensure(Set<EngineKind> kinds) {
        Set<EngineKind> missing = new HashSet<>(kinds);
        missing.removeAll(started);
        if (missing.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        log.info("starting test engines {}", missing);
        EngineSet set = EngineSet.start(config, missing, START_TIMEOUT, log::info);
        sets.add(set);
        started.addAll(missing);
        connection.putAll(set.connection());
        TestStackReaper.recordProcesses(config.layout().root(), set.engines().stream()
                .flatMap(e -> e.processes().stream()).map(ManagedProcess::pid).toList());
        log.info("test engines {} ready in {} ms", missing, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Sets each connection variable as a system property ({@code ${KAFKA_BOOTSTRAP_SERVERS}} resolves). */
    public synchronized void publishAsSystemProperties() {
        connection.forEach(System::setProperty);
    }

    /** The variables services read to reach the engines ({@code KAFKA_BOOTSTRAP_SERVERS}, …). */
    public synchronized Map<String, String> connection() {
        return Map.copyOf(connection);
    }

    public String value(String variable) {
        String value = connection().get(variable);
        if (value == null) {
            throw new IllegalStateException(variable + " is not known: is its engine listed in @HubStack?");
        }
        return value;
    }

    public String kafkaBootstrapServers() {
        return value("KAFKA_BOOTSTRAP_SERVERS");
    }

    public String jdbcUrl() {
        return value("POSTGRES_URL");
    }

    public String databaseUser() {
        return value("POSTGRES_USER");
    }

    public String databasePassword() {
        return value("POSTGRES_PASSWORD");
    }

    public String s3Endpoint() {
        return value("S3_ENDPOINT");
    }

    public String elasticsearchUrl() {
        return value("ELASTICSEARCH_URL");
    }

    public MinioClient s3Client() {
        return MinioClient.builder().endpoint(s3Endpoint()).region(value("S3_REGION"))
                .credentials(value("S3_ACCESS_KEY"), value("S3_SECRET_KEY")).build();
    }

    public Connection openDatabaseConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), databaseUser(), databasePassword());
    }

    /**
     * A superuser connection to the stack's own PostgreSQL (server settings, checkpoints); empty when
     * the tests attach to a running hub or use an external PostgreSQL, where they must not have one.
     */
    public Optional<Connection> openSuperuserConnection() throws SQLException {
        for (Engine engine : engines()) {
            if (engine instanceof PostgresEngine postgres) {
                return Optional.of(postgres.openSuperuserConnection());
            }
        }
        return Optional.empty();
    }

    /** A name no other test uses: lower case letters, digits and dashes (valid for topics, buckets, indices). */
    public static String uniqueName(String prefix) {
        return prefix.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Creates a fresh schema for one test and returns its name. */
    public String newSchema(String prefix) {
        String schema = uniqueName(prefix).replace('-', '_');
        try (Connection c = openDatabaseConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            return schema;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
    }

    /** Creates a fresh bucket for one test and returns its name. */
    public String newBucket(String prefix) {
        String bucket = uniqueName(prefix);
        try {
            s3Client().makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            return bucket;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create bucket " + bucket, e);
        }
    }

    /** The engines this JVM started (empty when attached to a running hub). */
    public synchronized List<Engine> engines() {
        return sets.stream().flatMap(s -> s.engines().stream()).toList();
    }

    public boolean isAttached() {
        return attached;
    }

    /**
     * Stops one engine of this JVM's stack (SIGTERM), for tests of a dependency going away; start
     * it again with {@link #startEngine}. Only between tests that expect it: the stack is shared.
     */
    public synchronized void stopEngine(EngineKind kind) {
        for (ManagedProcess process : engine(kind).processes()) {
            process.stop("TERM", Duration.ofSeconds(60));
        }
        log.info("test engine {} stopped", kind);
    }

    /**
     * Kills one engine of this JVM's stack (SIGKILL: nothing flushed, nothing closed), and waits
     * until the processes it had started are gone too (PostgreSQL's backends outlive a killed
     * postmaster for a moment and would keep its shared memory); start it again with
     * {@link #startEngine}. For crash tests.
     */
    public synchronized void killEngine(EngineKind kind) {
        for (ManagedProcess process : engine(kind).processes()) {
            List<ProcessHandle> children = ProcessHandle.of(process.pid())
                    .map(h -> h.descendants().toList()).orElse(List.of());
            process.stop("KILL", Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
        log.info("test engine {} killed", kind);
    }

    /** Starts an engine stopped by {@link #stopEngine} again, on the same ports and data, and waits until ready. */
    public synchronized void startEngine(EngineKind kind) {
        Engine engine = engine(kind);
        engine.start();
        engine.awaitReady(START_TIMEOUT);
        TestStackReaper.recordProcesses(config.layout().root(), engine.processes().stream().map(ManagedProcess::pid).toList());
        log.info("test engine {} started again", kind);
    }

    private Engine engine(EngineKind kind) {
        if (attached) {
            throw new IllegalStateException("tests attached to a running hub cannot stop its engines");
        }
        return engines().stream().filter(e -> e.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException(kind + " is not started in this JVM: list it in @HubStack"));
    }

    /** Something to close at JVM exit before the engines stop (service processes started by tests). */
    public synchronized void closeAtExit(AutoCloseable closeable) {
        closeFirst.add(closeable);
    }

    /** A directory of this JVM's stack (created), or of the temp area when attached to a running hub. */
    public Path directory(String name) {
        Path root = config != null ? config.layout().root() : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        return dir;
    }

    /** Records a process of this stack so a later JVM can reap it if this one is killed. */
    public void recordProcess(long pid) {
        if (config != null) {
            TestStackReaper.recordProcesses(config.layout().root(), List.of(pid));
        }
    }

    private synchronized void shutdown() {
        for (AutoCloseable closeable : closeFirst) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("could not close {}: {}", closeable, e.getMessage());
            }
        }
        sets.forEach(EngineSet::stop);
        if (config != null) {
            keepServiceLogs(config.layout().root().resolve("logs"));
            try {
                Directories.deleteTree(config.layout().root());
            } catch (IOException | StackException e) {
                log.warn("could not delete {}: {}", config.layout().root(), e.getMessage());
            }
        }
    }

    /**
     * Copies the logs of the services the tests started into {@code target/service-logs} of the
     * module under test before the stack's directory is deleted, so a failed run can be read after.
     */
    private static void keepServiceLogs(Path logs) {
        if (!Files.isDirectory(logs) || !Files.isDirectory(Path.of("target"))) {
            return;
        }
        Path kept = Path.of("target", "service-logs");
        try (Stream<Path> files = Files.list(logs)) {
            if (Files.exists(kept)) {
                Directories.deleteTree(kept); // an earlier run's
            }
            Files.createDirectories(kept);
            for (Path file : files.toList()) {
                Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | StackException e) {
            log.warn("could not keep the service logs of {}: {}", logs, e.getMessage());
        }
    }
}

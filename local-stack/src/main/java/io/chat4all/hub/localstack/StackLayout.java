package io.chat4all.hub.localstack;

import io.chat4all.hub.localstack.process.OsProcesses;
import io.chat4all.hub.localstack.process.StackException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Where a stack keeps its things: {@code data/<engine>}, {@code logs/}, {@code run/} (pid files)
 * under its root ({@code .hub/} for {@code ./hub up}, a temporary directory for a test JVM), and a
 * machine-wide cache of unpacked engine distributions.
 */
public record StackLayout(Path root, Path cache) {

    /** The cache of unpacked engines: readable by the unprivileged user servers run as. */
    public static Path defaultCache() {
        String override = System.getenv("HUB_ENGINE_CACHE");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "chat4all-hub-engines");
    }

    public Path data(String engine) {
        return root.resolve("data").resolve(engine);
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(String part) {
        return logs().resolve(part + ".log");
    }

    public Path run() {
        return root.resolve("run");
    }

    public Path config(String part) {
        return root.resolve("config").resolve(part);
    }

    public void create() {
        try {
            for (Path dir : new Path[] {root, root.resolve("data"), logs(), run(), root.resolve("config"), cache}) {
                Files.createDirectories(dir);
            }
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(root.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new StackException("cannot create " + root + ": " + e.getMessage(),
                    "check that the directory is writable (and that the disk is not full)", e);
        }
        OsProcesses.blockedForServiceUser(root).ifPresent(blocked -> {
            throw new StackException("PostgreSQL and Elasticsearch refuse to run as root, so they run as '"
                    + OsProcesses.SERVICE_USER + "'; that user cannot enter " + blocked + " (no x permission for others)",
                    "clone the repository somewhere others can reach (e.g. /work or /srv), or set HUB_HOME to such a directory,"
                            + " or run 'chmod o+x " + blocked + "'");
        });
    }

    /** Versions and the directory of the engine artifacts, recorded by the build. */
    public static Properties engineArtifacts() {
        Properties props = new Properties();
        try (InputStream in = StackLayout.class.getResourceAsStream("engines.properties")) {
            if (in == null) {
                throw new StackException("engines.properties is missing from the local-stack module",
                        "build the project first: ./mvnw -DskipTests package");
            }
            props.load(in);
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classpath of this module's runtime (the Kafka broker JVM runs on it), recorded by the build. */
    public static String runtimeClasspath() {
        try (InputStream in = StackLayout.class.getResourceAsStream("runtime.classpath")) {
            if (in == null) {
                throw new StackException("runtime.classpath is missing from the local-stack module",
                        "build the project first: ./mvnw -DskipTests package");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

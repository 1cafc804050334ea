package io.chat4all.hub.localstack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the engines need from the operating system: who we run as, and running a server as an
 * unprivileged user when we are root (PostgreSQL and Elasticsearch refuse to run as root).
 */
public final class OsProcesses {

    /** The unprivileged account servers run as when the stack is started by root. */
    public static final String SERVICE_USER = "nobody";
    public static final String SERVICE_GROUP = "nogroup";

    private OsProcesses() {
    }

    public static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** The command, run as the unprivileged service user when we are root. */
    public static List<String> asServiceUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SERVICE_USER,
                "--regid=" + SERVICE_GROUP, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Hands a directory tree to the service user (only when we are root; otherwise a no-op). */
    public static void giveToServiceUser(Path root) {
        if (!isRoot()) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(SERVICE_USER);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(SERVICE_GROUP);
            try (Stream<Path> tree = Files.walk(root)) {
                for (Path path : (Iterable<Path>) tree::iterator) {
                    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                    view.setOwner(user);
                    view.setGroup(group);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + root + " to user " + SERVICE_USER, e);
        }
    }

    /**
     * When we are root, the service user must be able to reach {@code dir}: every parent directory
     * needs the execute bit for others. Returns the first directory that blocks it, if any.
     */
    public static Optional<Path> blockedForServiceUser(Path dir) {
        if (!isRoot()) {
            return Optional.empty();
        }
        Path absolute = dir.toAbsolutePath().normalize();
        for (Path p = absolute.getParent(); p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(
                        java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of(p);
                }
            } catch (IOException e) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The {@code java} executable of the JVM we run in; engines and services use the same. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

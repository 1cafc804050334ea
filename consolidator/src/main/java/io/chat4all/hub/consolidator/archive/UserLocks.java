package io.chat4all.hub.consolidator.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * One archiver per user across every consolidator instance: a PostgreSQL session advisory lock
 * keyed by the user, held on its own connection while the user is archived.
 */
public final class UserLocks {

    private static final Duration POLL = Duration.ofMillis(500);

    private final DataSource dataSource;

    public UserLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The user's lock, waiting up to {@code wait} while another run holds it (that run archives
     * the same rows; this one then archives whatever is still due). Null when it was not freed in
     * time or {@code keepWaiting} turned false. Close it to release.
     */
    public Held lock(UUID user, Duration wait, BooleanSupplier keepWaiting) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Held held = tryLock(user);
        while (held == null && keepWaiting.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            held = tryLock(user);
        }
        return held;
    }

    /** The user's lock, or null when another run holds it. Close it to release. */
    public Held tryLock(UUID user) {
        try {
            Connection connection = dataSource.getConnection();
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 4242))")) {
                ps.setString(1, user.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return new Held(connection, user);
                    }
                }
            }
            connection.close();
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the archive lock of user " + user + ": " + e.getMessage(), e);
        }
    }

    /** A held lock. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;
        private final UUID user;

        Held(Connection connection, UUID user) {
            this.connection = connection;
            this.user = user;
        }

        @Override
        public void close() {
            try (connection; PreparedStatement ps = connection.prepareStatement(
                    "SELECT pg_advisory_unlock(hashtextextended(?, 4242))")) {
                ps.setString(1, user.toString());
                ps.execute();
            } catch (SQLException e) {
                // closing the session releases the lock anyway
            }
        }
    }
}

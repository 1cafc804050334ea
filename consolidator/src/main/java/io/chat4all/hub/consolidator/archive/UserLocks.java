package io.chat4all.hub.consolidator.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One archiver per user across every consolidator instance: a PostgreSQL session advisory lock
 * keyed by the user, held on its own connection while the user is archived.
 */
public final class UserLocks {

    private final DataSource dataSource;

    public UserLocks(DataSource dataSource) {
        this.dataSource = dataSource;
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

package io.chat4all.hub.gateway.auth;

import io.chat4all.hub.gateway.core.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What decides whether a principal may still call: users' token versions and state, API keys'
 * owners, expiry and revocation, and single signed-out tokens. Rows carry
 * {@code access_changed_at}, so every gateway instance learns changes by polling. Blocking.
 */
@Repository
public class AccessRepository {

    private static final String USER = "SELECT user_id, token_version, role,"
            + " disabled_at IS NULL AND erased_at IS NULL AS active FROM users";
    private static final String KEY = "SELECT key_id, name, owner_id, expires_at, revoked_at IS NOT NULL AS revoked FROM api_keys";

    private final JdbcTemplate jdbc;

    AccessRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A user as access control sees them: tokens of an older version are refused, and all of an inactive user's. */
    public record UserAccess(UUID userId, int tokenVersion, Role role, boolean active) {
    }

    /** An API key as access control sees it. */
    public record KeyAccess(UUID keyId, String name, UUID ownerId, Instant expiresAt, boolean revoked) {
    }

    /** A signed-out token, refused until it would have expired anyway. */
    public record RevokedToken(UUID tokenId, Instant expiresAt) {
    }

    /** Everything that changed after {@code since} (database time), and the database time of the read. */
    public record Changes(Instant readAt, List<UserAccess> users, List<KeyAccess> keys, List<RevokedToken> tokens) {
    }

    public Instant now() {
        return jdbc.queryForObject("SELECT now()", Timestamp.class).toInstant();
    }

    public Optional<UserAccess> user(UUID userId) {
        return jdbc.query(USER + " WHERE user_id = ?", AccessRepository::user, userId).stream().findFirst();
    }

    public Optional<KeyAccess> key(UUID keyId) {
        return jdbc.query(KEY + " WHERE key_id = ?", AccessRepository::key, keyId).stream().findFirst();
    }

    public Optional<KeyAccess> keyByHash(String keyHash) {
        return jdbc.query(KEY + " WHERE key_hash = ?", AccessRepository::key, keyHash).stream().findFirst();
    }

    /** Tokens signed out that have not expired yet: what an instance loads when it starts. */
    public List<RevokedToken> revokedTokens() {
        return jdbc.query("SELECT token_id, expires_at FROM revoked_tokens WHERE expires_at > now()", AccessRepository::token);
    }

    public Changes changedSince(Instant since) {
        Instant readAt = now();
        Timestamp after = Timestamp.from(since);
        return new Changes(readAt,
                jdbc.query(USER + " WHERE access_changed_at > ?", AccessRepository::user, after),
                jdbc.query(KEY + " WHERE access_changed_at > ?", AccessRepository::key, after),
                jdbc.query("SELECT token_id, expires_at FROM revoked_tokens WHERE revoked_at > ?", AccessRepository::token, after));
    }

    /** Signs one token out (idempotent). */
    public void revokeToken(UUID tokenId, UUID userId, Instant expiresAt) {
        jdbc.update("INSERT INTO revoked_tokens (token_id, user_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                tokenId, userId, Timestamp.from(expiresAt));
    }

    /** Invalidates every token of the user issued so far; the user's access as it stands after. */
    public Optional<UserAccess> bumpTokenVersion(UUID userId) {
        return jdbc.query("UPDATE users SET token_version = token_version + 1, access_changed_at = now()"
                + " WHERE user_id = ? RETURNING user_id, token_version, role, disabled_at IS NULL AND erased_at IS NULL AS active",
                AccessRepository::user, userId).stream().findFirst();
    }

    /** Forgets signed-out tokens that expired: they are refused by their {@code exp} alone. */
    public int pruneRevokedTokens() {
        return jdbc.update("DELETE FROM revoked_tokens WHERE expires_at < now() - interval '1 minute'");
    }

    private static UserAccess user(ResultSet rs, int row) throws SQLException {
        return new UserAccess(rs.getObject("user_id", UUID.class), rs.getInt("token_version"), Role.fromWire(rs.getString("role")),
                rs.getBoolean("active"));
    }

    private static KeyAccess key(ResultSet rs, int row) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        return new KeyAccess(rs.getObject("key_id", UUID.class), rs.getString("name"), rs.getObject("owner_id", UUID.class),
                expires == null ? null : expires.toInstant(), rs.getBoolean("revoked"));
    }

    private static RevokedToken token(ResultSet rs, int row) throws SQLException {
        return new RevokedToken(rs.getObject("token_id", UUID.class), rs.getTimestamp("expires_at").toInstant());
    }
}

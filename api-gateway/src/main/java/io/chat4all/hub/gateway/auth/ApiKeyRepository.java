package io.chat4all.hub.gateway.auth;

import io.chat4all.hub.gateway.auth.AccessRepository.KeyAccess;
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
 * API keys, stored as a SHA-256 of the key (the key itself is shown once). A key acts for its
 * owner, the admin who made it unless reassigned. Every change moves {@code access_changed_at},
 * so all gateway instances apply it ({@code AccessControl}). Blocking: call through {@link Jdbc}.
 */
@Repository
public class ApiKeyRepository {

    private static final String COLUMNS = "key_id, name, owner_id, created_by, created_at, expires_at, revoked_at";

    private final JdbcTemplate jdbc;

    ApiKeyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A key as admins see it (never the key or its hash). */
    public record StoredKey(UUID keyId, String name, UUID ownerId, UUID createdBy, Instant createdAt, Instant expiresAt,
                            Instant revokedAt) {

        public KeyAccess access() {
            return new KeyAccess(keyId, name, ownerId, expiresAt, revokedAt != null);
        }
    }

    public void create(UUID keyId, String name, String keyHash, UUID createdBy, Instant createdAt, Instant expiresAt) {
        jdbc.update("INSERT INTO api_keys (key_id, name, key_hash, created_by, owner_id, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", keyId, name, keyHash, createdBy, createdBy, Timestamp.from(createdAt),
                expiresAt == null ? null : Timestamp.from(expiresAt));
    }

    /** A page of keys, newest first, after the key {@code (createdAt, keyId)} of the last page (null: the first). */
    public List<StoredKey> page(Instant beforeCreatedAt, UUID beforeKeyId, int limit) {
        if (beforeCreatedAt == null) {
            return jdbc.query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at DESC, key_id DESC LIMIT ?",
                    ApiKeyRepository::key, limit);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE (created_at, key_id) < (?, ?)"
                + " ORDER BY created_at DESC, key_id DESC LIMIT ?", ApiKeyRepository::key, Timestamp.from(beforeCreatedAt),
                beforeKeyId, limit);
    }

    /** Revokes a key (a revoked key stays revoked, its first revocation time kept); empty when it does not exist. */
    public Optional<StoredKey> revoke(UUID keyId) {
        return jdbc.query("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()), access_changed_at = now()"
                + " WHERE key_id = ? RETURNING " + COLUMNS, ApiKeyRepository::key, keyId).stream().findFirst();
    }

    /** Hands a key to another owner; empty when it does not exist. */
    public Optional<StoredKey> reassign(UUID keyId, UUID ownerId) {
        return jdbc.query("UPDATE api_keys SET owner_id = ?, access_changed_at = now() WHERE key_id = ? RETURNING " + COLUMNS,
                ApiKeyRepository::key, ownerId, keyId).stream().findFirst();
    }

    private static StoredKey key(ResultSet rs, int row) throws SQLException {
        return new StoredKey(rs.getObject("key_id", UUID.class), rs.getString("name"), rs.getObject("owner_id", UUID.class),
                rs.getObject("created_by", UUID.class), rs.getTimestamp("created_at").toInstant(), instant(rs, "expires_at"),
                instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

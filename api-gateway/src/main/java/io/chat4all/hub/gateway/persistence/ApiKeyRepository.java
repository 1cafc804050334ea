package io.chat4all.hub.gateway.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** API keys, stored as a SHA-256 of the key (the key itself is shown once). Blocking: call through {@link Jdbc}. */
@Repository
public class ApiKeyRepository {

    private final JdbcTemplate jdbc;

    ApiKeyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An active key: who created it (the integrator acts for them). */
    public record ActiveKey(UUID keyId, String name, UUID createdBy) {
    }

    public void create(UUID keyId, String name, String keyHash, UUID createdBy, Instant createdAt) {
        jdbc.update("INSERT INTO api_keys (key_id, name, key_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                keyId, name, keyHash, createdBy, Timestamp.from(createdAt));
    }

    public Optional<ActiveKey> findActive(String keyHash) {
        return jdbc.query("SELECT key_id, name, created_by FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                (rs, i) -> new ActiveKey(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class)),
                keyHash).stream().findFirst();
    }
}

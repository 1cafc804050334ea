package io.chat4all.hub.gateway.users;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.UserChanged;
import io.chat4all.hub.contracts.kafka.EventJson;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.auth.AccessRepository;
import io.chat4all.hub.gateway.core.Outbox;
import io.chat4all.hub.gateway.core.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/** Users in PostgreSQL; every change goes out as a {@link UserChanged} through the outbox. Blocking: call through {@link Jdbc}. */
@Repository
public class UserRepository {

    private static final String COLUMNS = "user_id, username, display_name, role, channels, created_at";
    private static final TypeReference<Map<String, String>> CHANNELS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Outbox outbox;

    UserRepository(JdbcTemplate jdbc, TransactionTemplate transaction, Outbox outbox) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
    }

    /** The password hash, role and token version of an active user, for the login check only. */
    public record Credentials(UUID userId, String username, String passwordHash, Role role, int tokenVersion) {
    }

    /** An active user's credentials: a disabled or erased user cannot sign in. */
    public Optional<Credentials> findCredentials(String username) {
        return jdbc.query("SELECT user_id, username, password_hash, role, token_version FROM users"
                        + " WHERE username = ? AND erased_at IS NULL AND disabled_at IS NULL",
                (rs, i) -> new Credentials(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        Role.fromWire(rs.getString(4)), rs.getInt(5)), username).stream().findFirst();
    }

    /** The id of the user with {@code username}, erased or not (usernames are never reused). */
    public Optional<UUID> idOf(String username) {
        return jdbc.queryForList("SELECT user_id FROM users WHERE username = ?", UUID.class, username).stream().findFirst();
    }

    public Optional<User> findById(UUID userId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM users WHERE user_id = ? AND erased_at IS NULL", UserRepository::user,
                userId).stream().findFirst();
    }

    /**
     * The ids among {@code userIds} that {@code caller} may not put in a conversation, all answered
     * alike: ids of no user, of an erased user, and of a channel contact (a WhatsApp or Instagram
     * customer) that the caller does not already talk to. So a contact is reached only by the
     * business user linked to it (or an integrator), and the answer cannot tell whether a number
     * is a customer.
     */
    public List<UUID> missing(Collection<UUID> userIds, UUID caller, boolean integrator) {
        List<UUID> found = jdbc.queryForList("SELECT u.user_id FROM users u WHERE u.user_id = ANY (?) AND u.erased_at IS NULL"
                        + " AND (u.password_hash <> ? OR ? OR EXISTS (SELECT 1 FROM conversation_members mine"
                        + " JOIN conversation_members theirs ON theirs.conversation_id = mine.conversation_id"
                        + " WHERE mine.user_id = ? AND mine.left_at IS NULL AND theirs.user_id = u.user_id AND theirs.left_at IS NULL))",
                UUID.class, userIds.toArray(UUID[]::new), ContactDirectory.NO_LOGIN, integrator, caller);
        return userIds.stream().filter(id -> !found.contains(id)).distinct().toList();
    }

    public boolean anyAdmin() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')", Boolean.class));
    }

    /** Creates the user and its event in one transaction; a taken username fails with DuplicateKeyException. */
    public User create(User user, String passwordHash) {
        return transaction.execute(status -> {
            jdbc.update("INSERT INTO users (user_id, username, display_name, password_hash, role, channels, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)", user.userId(), user.username(), user.displayName(),
                    passwordHash, user.role().wireName(), channelsJson(user.channels()),
                    Timestamp.from(user.createdAt()));
            outbox.add(Topics.USER_CHANGES, user.userId(), new UserChanged(UUID.randomUUID(), user.createdAt(),
                    user.userId(), user.username(), user.displayName(), user.channels(), false));
            return user;
        });
    }

    /** What an admin changes about a user; null leaves a field as it is ({@code channels} replaces them all). */
    public record Change(String displayName, Role role, Boolean disabled, Map<Channel, String> channels) {
    }

    /** A user after a change, whether they are disabled, and their access as it stands now. */
    public record Changed(User user, boolean disabled, AccessRepository.UserAccess access) {
    }

    /** Thrown when a change would leave the hub without an active admin. */
    public static final class LastAdminException extends RuntimeException {
        LastAdminException() {
            super("the hub must keep at least one active admin");
        }
    }

    /**
     * Changes a user in one transaction with its event. A new role or disabling moves the user's
     * token version on, so every token they hold stops working (they sign in again, with the new
     * role); their API keys die with their admin rights. Empty when the user does not exist.
     *
     * @throws LastAdminException when the last active admin would be demoted or disabled
     */
    public Optional<Changed> change(UUID userId, Change change) {
        return transaction.execute(status -> {
            // admins' rows locked first: two admins demoting each other cannot both pass the last-admin check
            List<UUID> activeAdmins = jdbc.queryForList("SELECT user_id FROM users WHERE role = 'admin' AND disabled_at IS NULL"
                    + " AND erased_at IS NULL ORDER BY user_id FOR UPDATE", UUID.class);
            Optional<User> found = jdbc.query("SELECT " + COLUMNS + " FROM users WHERE user_id = ? AND erased_at IS NULL FOR UPDATE",
                    UserRepository::user, userId).stream().findFirst();
            if (found.isEmpty()) {
                return Optional.<Changed>empty();
            }
            User before = found.get();
            boolean wasDisabled = Boolean.TRUE.equals(jdbc.queryForObject("SELECT disabled_at IS NOT NULL FROM users WHERE user_id = ?",
                    Boolean.class, userId));
            Role role = change.role() == null ? before.role() : change.role();
            boolean disabled = change.disabled() == null ? wasDisabled : change.disabled();
            boolean stillAdmin = role == Role.ADMIN && !disabled;
            if (activeAdmins.contains(userId) && !stillAdmin && activeAdmins.size() == 1) {
                throw new LastAdminException();
            }
            boolean revokeTokens = role != before.role() || disabled && !wasDisabled;
            User after = new User(before.userId(), before.username(),
                    change.displayName() == null ? before.displayName() : change.displayName(), role,
                    change.channels() == null ? before.channels() : change.channels(), before.createdAt());
            AccessRepository.UserAccess access = jdbc.queryForObject("UPDATE users SET display_name = ?, role = ?,"
                            + " channels = ?::jsonb,"
                            + " disabled_at = CASE WHEN ? THEN coalesce(disabled_at, now()) END,"
                            + " token_version = token_version + ?, access_changed_at = now() WHERE user_id = ?"
                            + " RETURNING token_version", (rs, i) -> new AccessRepository.UserAccess(userId, rs.getInt(1), role, !disabled),
                    after.displayName(), role.wireName(), channelsJson(after.channels()), disabled, revokeTokens ? 1 : 0, userId);
            outbox.add(Topics.USER_CHANGES, userId, new UserChanged(UUID.randomUUID(), java.time.Instant.now(), userId,
                    after.username(), after.displayName(), after.channels(), false));
            return Optional.of(new Changed(after, disabled, access));
        });
    }

    /** A user as an administrator lists them: a hub user or a channel contact, active or disabled. */
    public record Listed(User user, boolean contact, boolean disabled) {
    }

    /**
     * One page of users and contacts in username order after {@code afterUsername}: all of them, or
     * those whose username or display name starts with {@code query} (case-insensitively) or whose
     * WhatsApp number (digits compared) or Instagram id is {@code query}. Erased users are not listed.
     */
    public List<Listed> page(String query, String afterUsername, int limit) {
        String prefix = query == null ? null
                : query.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String digits = query == null ? null : query.replaceAll("[^0-9]", "");
        return jdbc.query("SELECT " + COLUMNS + ", disabled_at IS NOT NULL AS disabled, password_hash = ? AS contact"
                        + " FROM users WHERE erased_at IS NULL"
                        + " AND (?::text IS NULL OR lower(username) LIKE ? OR lower(display_name) LIKE ?"
                        + " OR regexp_replace(channels->>'whatsapp', '[^0-9]', '', 'g') = ? OR channels->>'instagram' = ?)"
                        + " AND (?::text IS NULL OR username > ?)"
                        + " ORDER BY username LIMIT ?",
                (rs, i) -> new Listed(user(rs, i), rs.getBoolean("contact"), rs.getBoolean("disabled")),
                ContactDirectory.NO_LOGIN, prefix, prefix, prefix, digits == null || digits.isEmpty() ? null : digits, query,
                afterUsername, afterUsername, limit);
    }

    /** Channel addresses as stored: {@code {"whatsapp": "+55…", "instagram": "…"}}. */
    private static String channelsJson(Map<Channel, String> channels) {
        Map<String, String> wire = new LinkedHashMap<>();
        channels.forEach((channel, address) -> wire.put(channel.wireName(), address));
        return EventJson.mapper().writeValueAsString(wire);
    }

    private static User user(ResultSet rs, int row) throws SQLException {
        Map<Channel, String> channels = new EnumMap<>(Channel.class);
        EventJson.mapper().readValue(rs.getString("channels"), CHANNELS)
                .forEach((channel, address) -> channels.put(Channel.fromWire(channel), address));
        return new User(rs.getObject("user_id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                Role.fromWire(rs.getString("role")), channels, rs.getTimestamp("created_at").toInstant());
    }
}

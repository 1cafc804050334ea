package io.chat4all.hub.gateway.persistence;

import io.chat4all.hub.contracts.events.ConversationChange;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.ConversationType;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.domain.Conversation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Conversations and their members in PostgreSQL. Every change bumps the membership version and
 * commits its {@link ConversationChanged} (with the full member list) to the outbox in the same
 * transaction. Blocking: call through {@link Jdbc}.
 */
@Repository
public class ConversationRepository {

    private static final String SELECT = "SELECT conversation_id, type, name, membership_version, last_seq, created_at,"
            + " last_activity_at, ARRAY(SELECT m.user_id FROM conversation_members m WHERE m.conversation_id = c.conversation_id"
            + " AND m.left_at IS NULL ORDER BY m.joined_version, m.user_id) AS members FROM conversations c";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Outbox outbox;

    ConversationRepository(JdbcTemplate jdbc, TransactionTemplate transaction, Outbox outbox) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
    }

    /** A page position: the last conversation of the previous page. */
    public record Position(Instant lastActivityAt, UUID conversationId) {
    }

    /** The result of a membership change: the conversation after it, and whether anything changed. */
    /** The group has as many members as a group may have (checked under the conversation's row lock). */
    public static final class GroupFullException extends RuntimeException {

        GroupFullException(int maxMembers) {
            super("a group has at most " + maxMembers + " members");
        }
    }

    public record Change(Conversation conversation, boolean changed) {
    }

    public Conversation create(UUID id, ConversationType type, String name, List<UUID> members, UUID actor, Instant now) {
        return transaction.execute(status -> {
            jdbc.update("INSERT INTO conversations (conversation_id, type, name, created_by, created_at, membership_version,"
                    + " last_activity_at) VALUES (?, ?, ?, ?, ?, 1, ?)", id, type.wireName(), name, actor,
                    Timestamp.from(now), Timestamp.from(now));
            jdbc.batchUpdate("INSERT INTO conversation_members (conversation_id, user_id, joined_version, joined_at)"
                    + " VALUES (?, ?, 1, ?)", members, members.size(), (ps, member) -> {
                        ps.setObject(1, id);
                        ps.setObject(2, member);
                        ps.setTimestamp(3, Timestamp.from(now));
                    });
            Conversation created = new Conversation(id, type, name, members, 1, 0, now, now);
            publish(created, ConversationChange.CREATED, null, actor, now);
            return created;
        });
    }

    /** The membership version of a conversation if {@code userId} is a current member (one indexed lookup). */
    public Optional<Long> membershipVersionFor(UUID id, UUID userId) {
        return jdbc.queryForList("SELECT c.membership_version FROM conversations c JOIN conversation_members m"
                + " ON m.conversation_id = c.conversation_id WHERE c.conversation_id = ? AND m.user_id = ? AND m.left_at IS NULL",
                Long.class, id, userId).stream().findFirst();
    }

    public Optional<Conversation> find(UUID id) {
        return jdbc.query(SELECT + " WHERE conversation_id = ?", ConversationRepository::conversation, id).stream().findFirst();
    }

    /** The caller's conversations (current member), newest activity first, after {@code position}. */
    public List<Conversation> listFor(UUID userId, Position position, int limit) {
        String where = " WHERE conversation_id IN (SELECT conversation_id FROM conversation_members WHERE user_id = ?"
                + " AND left_at IS NULL)";
        if (position == null) {
            return jdbc.query(SELECT + where + " ORDER BY last_activity_at DESC, conversation_id DESC LIMIT ?",
                    ConversationRepository::conversation, userId, limit);
        }
        return jdbc.query(SELECT + where + " AND (last_activity_at, conversation_id) < (?, ?)"
                        + " ORDER BY last_activity_at DESC, conversation_id DESC LIMIT ?", ConversationRepository::conversation, userId,
                Timestamp.from(position.lastActivityAt()), position.conversationId(), limit);
    }

    /** Adds a member (a member already in changes nothing); the caller checked the conversation is a group. */
    public Change addMember(UUID id, UUID member, UUID actor, Instant now, int maxMembers) {
        return transaction.execute(status -> {
            Conversation current = lock(id);
            if (current.hasMember(member)) {
                return new Change(current, false);
            }
            if (current.members().size() >= maxMembers) {
                throw new GroupFullException(maxMembers);
            }
            long version = current.membershipVersion() + 1;
            jdbc.update("INSERT INTO conversation_members (conversation_id, user_id, joined_version, joined_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id, user_id) DO UPDATE SET joined_version = excluded.joined_version,"
                    + " joined_at = excluded.joined_at, left_version = NULL, left_at = NULL", id, member, version, Timestamp.from(now));
            return new Change(bump(current, version, ConversationChange.MEMBER_ADDED, member, actor, now), true);
        });
    }

    /** Removes a current member; their history stays theirs. Returns empty when they are not a member. */
    public Optional<Change> removeMember(UUID id, UUID member, UUID actor, Instant now) {
        return transaction.execute(status -> {
            Conversation current = lock(id);
            if (!current.hasMember(member)) {
                return Optional.empty();
            }
            long version = current.membershipVersion() + 1;
            jdbc.update("UPDATE conversation_members SET left_version = ?, left_at = ? WHERE conversation_id = ? AND user_id = ?",
                    version, Timestamp.from(now), id, member);
            return Optional.of(new Change(bump(current, version, ConversationChange.MEMBER_REMOVED, member, actor, now), true));
        });
    }

    private Conversation lock(UUID id) {
        return jdbc.query(SELECT + " WHERE conversation_id = ? FOR UPDATE OF c", ConversationRepository::conversation, id).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("conversation " + id + " vanished"));
    }

    private Conversation bump(Conversation current, long version, ConversationChange change, UUID subject, UUID actor,
                              Instant now) {
        jdbc.update("UPDATE conversations SET membership_version = ?, last_activity_at = GREATEST(last_activity_at, ?)"
                + " WHERE conversation_id = ?", version, Timestamp.from(now), current.conversationId());
        Conversation next = find(current.conversationId()).orElseThrow();
        publish(next, change, subject, actor, now);
        return next;
    }

    private void publish(Conversation conversation, ConversationChange change, UUID subject, UUID actor, Instant now) {
        outbox.add(Topics.CONVERSATION_CHANGES, conversation.conversationId(), new ConversationChanged(UUID.randomUUID(), now,
                conversation.conversationId(), conversation.membershipVersion(), change, conversation.type(),
                conversation.name(), conversation.members(), subject, actor));
    }

    private static Conversation conversation(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("conversation_id", UUID.class);
        List<UUID> members = List.of((UUID[]) rs.getArray("members").getArray());
        return new Conversation(id, ConversationType.fromWire(rs.getString("type")), rs.getString("name"), members,
                rs.getLong("membership_version"), rs.getLong("last_seq"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("last_activity_at").toInstant());
    }
}

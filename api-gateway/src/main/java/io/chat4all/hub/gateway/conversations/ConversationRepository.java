package io.chat4all.hub.gateway.conversations;

import io.chat4all.hub.contracts.events.ConversationChange;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.ConversationType;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.core.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            + " AND m.left_at IS NULL ORDER BY m.joined_version, m.user_id) AS members,"
            + " (SELECT m.user_id FROM conversation_members m WHERE m.conversation_id = c.conversation_id AND m.left_at IS NULL"
            + " AND m.role = 'owner' LIMIT 1) AS owner_id,"
            + " ARRAY(SELECT m.user_id FROM conversation_members m WHERE m.conversation_id = c.conversation_id"
            + " AND m.left_at IS NULL AND m.role = 'admin' ORDER BY m.joined_version, m.user_id) AS admins FROM conversations c";

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

    /**
     * Creates a conversation; in a group, {@code owner} (the creating user, null when an
     * integrator creates it) is its owner.
     */
    public Conversation create(UUID id, ConversationType type, String name, List<UUID> members, UUID actor, UUID owner,
                               Instant now) {
        return transaction.execute(status -> {
            jdbc.update("INSERT INTO conversations (conversation_id, type, name, created_by, created_at, membership_version,"
                    + " last_activity_at) VALUES (?, ?, ?, ?, ?, 1, ?)", id, type.wireName(), name, actor,
                    Timestamp.from(now), Timestamp.from(now));
            UUID groupOwner = type == ConversationType.GROUP ? owner : null;
            jdbc.batchUpdate("INSERT INTO conversation_members (conversation_id, user_id, joined_version, joined_at, role)"
                    + " VALUES (?, ?, 1, ?, ?)", members, members.size(), (ps, member) -> {
                        ps.setObject(1, id);
                        ps.setObject(2, member);
                        ps.setTimestamp(3, Timestamp.from(now));
                        ps.setString(4, member.equals(groupOwner) ? "owner" : "member");
                    });
            Conversation created = new Conversation(id, type, name, members, 1, 0, now, now, groupOwner, List.of());
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

    /** A conversation's membership version and when each current member joined. */
    public record Joins(long membershipVersion, Map<UUID, Instant> joinedAt) {
    }

    /** When each current member joined (version -1 and nobody for a conversation that does not exist). */
    public Joins joins(UUID id) {
        Map<UUID, Instant> joined = new HashMap<>();
        long[] version = {-1};
        jdbc.query("SELECT c.membership_version, m.user_id, m.joined_at FROM conversations c JOIN conversation_members m"
                + " ON m.conversation_id = c.conversation_id WHERE c.conversation_id = ? AND m.left_at IS NULL", rs -> {
                    version[0] = rs.getLong(1);
                    joined.put(rs.getObject(2, UUID.class), rs.getTimestamp(3).toInstant());
                }, id);
        return new Joins(version[0], joined);
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

    /**
     * Adds a member (a member already in changes nothing); the caller checked the conversation is
     * a group. The group's owner and admins may, and integrators.
     *
     * @throws NotAllowedException when the actor is a plain member
     */
    public Change addMember(UUID id, UUID member, UUID actor, boolean actorIsIntegrator, Instant now, int maxMembers) {
        return transaction.execute(status -> {
            Conversation current = lock(id);
            if (!actorIsIntegrator && !current.manages(actor)) {
                throw new NotAllowedException("only the group's owner and admins add members");
            }
            if (current.hasMember(member)) {
                return new Change(current, false);
            }
            if (current.members().size() >= maxMembers) {
                throw new GroupFullException(maxMembers);
            }
            long version = current.membershipVersion() + 1;
            jdbc.update("INSERT INTO conversation_members (conversation_id, user_id, joined_version, joined_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id, user_id) DO UPDATE SET joined_version = excluded.joined_version,"
                    + " joined_at = excluded.joined_at, left_version = NULL, left_at = NULL, role = 'member'", id, member, version,
                    Timestamp.from(now));
            return new Change(bump(current, version, ConversationChange.MEMBER_ADDED, member, actor, now), true);
        });
    }

    /** Thrown when the acting member's role does not allow the change. */
    public static final class NotAllowedException extends RuntimeException {

        NotAllowedException(String message) {
            super(message);
        }
    }

    /**
     * Removes a current member; their history stays theirs. Anyone may leave; the owner removes
     * anyone, an admin only members; {@code actorIsIntegrator} may remove anyone. An owner who
     * leaves hands the group to the longest-standing admin, else the longest-standing member.
     * Returns empty when {@code member} is not a member.
     *
     * @throws NotAllowedException when the actor's role does not allow it
     */
    public Optional<Change> removeMember(UUID id, UUID member, UUID actor, boolean actorIsIntegrator, Instant now) {
        return transaction.execute(status -> {
            Conversation current = lock(id);
            if (!current.hasMember(member)) {
                return Optional.empty();
            }
            Conversation.MemberRole target = current.roleOf(member);
            if (!actorIsIntegrator && !member.equals(actor)) {
                Conversation.MemberRole role = current.roleOf(actor);
                if (role != Conversation.MemberRole.OWNER
                        && (role != Conversation.MemberRole.ADMIN || target != Conversation.MemberRole.MEMBER)) {
                    throw new NotAllowedException(role == Conversation.MemberRole.ADMIN
                            ? "an admin removes members, not the owner or other admins"
                            : "only the group's owner and admins remove others; anyone may leave");
                }
            }
            long version = current.membershipVersion() + 1;
            jdbc.update("UPDATE conversation_members SET left_version = ?, left_at = ?, role = 'member'"
                    + " WHERE conversation_id = ? AND user_id = ?", version, Timestamp.from(now), id, member);
            if (target == Conversation.MemberRole.OWNER) {
                // the longest-standing admin, else member, takes the group on
                jdbc.update("UPDATE conversation_members SET role = 'owner' WHERE conversation_id = ? AND user_id = ("
                        + "SELECT user_id FROM conversation_members WHERE conversation_id = ? AND left_at IS NULL"
                        + " ORDER BY role = 'admin' DESC, joined_version, user_id LIMIT 1)", id, id);
            }
            return Optional.of(new Change(bump(current, version, ConversationChange.MEMBER_REMOVED, member, actor, now), true));
        });
    }

    /**
     * Gives a member a role (owner: hands the group on, the old owner becomes an admin). Only the
     * owner, or an integrator, may. Empty when {@code member} is not a member.
     *
     * @throws NotAllowedException when the actor is not the owner
     */
    public Optional<Conversation> changeRole(UUID id, UUID member, Conversation.MemberRole role, UUID actor,
                                             boolean actorIsIntegrator) {
        return transaction.execute(status -> {
            Conversation current = lock(id);
            if (!current.hasMember(member)) {
                return Optional.empty();
            }
            if (!actorIsIntegrator && current.roleOf(actor) != Conversation.MemberRole.OWNER) {
                throw new NotAllowedException("only the group's owner changes roles");
            }
            if (current.roleOf(member) == Conversation.MemberRole.OWNER && role != Conversation.MemberRole.OWNER) {
                throw new NotAllowedException("the owner hands the group on by making another member owner");
            }
            if (role == Conversation.MemberRole.OWNER) {
                jdbc.update("UPDATE conversation_members SET role = 'admin' WHERE conversation_id = ? AND role = 'owner'", id);
            }
            jdbc.update("UPDATE conversation_members SET role = ? WHERE conversation_id = ? AND user_id = ?", role.wireName(), id,
                    member);
            return find(id);
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
                rs.getTimestamp("last_activity_at").toInstant(), rs.getObject("owner_id", UUID.class),
                List.of((UUID[]) rs.getArray("admins").getArray()));
    }
}

package io.chat4all.hub.gateway.conversations;

import io.chat4all.hub.contracts.events.ConversationType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A conversation with its current members. A group has roles: its owner (the creator, until they
 * hand it on or leave), admins, and members; a private conversation has none ({@code ownerId} null,
 * no admins).
 */
public record Conversation(UUID conversationId, ConversationType type, String name, List<UUID> members,
                           long membershipVersion, long lastSeq, Instant createdAt, Instant lastActivityAt, UUID ownerId,
                           List<UUID> admins) {

    /** What a member may do in a group. */
    public enum MemberRole {
        OWNER, ADMIN, MEMBER;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static MemberRole fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Conversation {
        members = List.copyOf(members);
        admins = admins == null ? List.of() : List.copyOf(admins);
    }

    public boolean hasMember(UUID userId) {
        return members.contains(userId);
    }

    /** The role of a current member; null for someone who is not one. */
    public MemberRole roleOf(UUID userId) {
        if (!hasMember(userId)) {
            return null;
        }
        return userId.equals(ownerId) ? MemberRole.OWNER : admins.contains(userId) ? MemberRole.ADMIN : MemberRole.MEMBER;
    }

    /** Whether {@code userId} may add and remove others: the owner and admins of a group. */
    public boolean manages(UUID userId) {
        MemberRole role = roleOf(userId);
        return role == MemberRole.OWNER || role == MemberRole.ADMIN;
    }
}

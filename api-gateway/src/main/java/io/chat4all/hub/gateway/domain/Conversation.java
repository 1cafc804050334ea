package io.chat4all.hub.gateway.domain;

import io.chat4all.hub.contracts.events.ConversationType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A conversation with its current members. */
public record Conversation(UUID conversationId, ConversationType type, String name, List<UUID> members,
                           long membershipVersion, long lastSeq, Instant createdAt, Instant lastActivityAt) {

    public Conversation {
        members = List.copyOf(members);
    }

    public boolean hasMember(UUID userId) {
        return members.contains(userId);
    }
}

package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A conversation was created or its membership changed. {@code members} is the complete member
 * list after the change, so a reader can rebuild membership from the latest event alone.
 *
 * @param version  increases by one with every change of this conversation
 * @param subjectId the member added or removed; null for other changes
 * @param actorId   who made the change
 */
public record ConversationChanged(
        UUID eventId,
        Instant occurredAt,
        UUID conversationId,
        long version,
        ConversationChange change,
        ConversationType type,
        String name,
        List<UUID> members,
        UUID subjectId,
        UUID actorId) implements HubEvent {

    public ConversationChanged {
        members = members == null ? List.of() : List.copyOf(members);
    }
}

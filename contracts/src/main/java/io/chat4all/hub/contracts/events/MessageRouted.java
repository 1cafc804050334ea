package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The canonical message once the router placed it in its conversation: its gap-free {@code seq}
 * and the participants it was delivered to (the members at the membership version it was checked
 * against). Storage keeps one canonical row per message from it; search indexes it.
 */
public record MessageRouted(
        UUID eventId,
        Instant occurredAt,
        long msgId,
        UUID messageId,
        UUID conversationId,
        long seq,
        UUID senderId,
        Payload payload,
        List<Channel> channels,
        Map<String, Object> metadata,
        List<UUID> participants,
        String requestHash,
        Instant acceptedAt) implements HubEvent {

    public MessageRouted {
        channels = channels == null ? List.of() : List.copyOf(channels);
        metadata = Metadata.immutableCopy(metadata);
        participants = participants == null ? List.of() : List.copyOf(participants);
    }
}

package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One participant's own copy of a routed message: every member of the conversation (the sender
 * included) owns one, keyed by {@code ownerId}.
 *
 * @param seq       the gap-free per-conversation sequence number the router assigned
 * @param acceptedAt when the gateway accepted the message (the order clients display)
 */
public record ParticipantMessage(
        UUID eventId,
        Instant occurredAt,
        UUID ownerId,
        Direction direction,
        long msgId,
        UUID messageId,
        UUID conversationId,
        long seq,
        UUID senderId,
        Payload payload,
        Map<String, Object> metadata,
        Instant acceptedAt) implements HubEvent {

    public ParticipantMessage {
        metadata = Metadata.immutableCopy(metadata);
    }
}

package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message the gateway accepted: durably in the log before the client got its 202.
 *
 * @param msgId          the hub's Snowflake id
 * @param messageId      the client's idempotency key ({@code message_id} of the API)
 * @param requestHash    SHA-256 of the canonical request body, so a retry with a different body is
 *                       told apart from a true retry
 * @param membershipVersion the conversation's membership version the gateway checked the sender
 *                       against; the router waits until its membership table has reached it
 * @param channels       external channels to deliver through; empty = inside the hub only
 */
public record MessageAccepted(
        UUID eventId,
        Instant occurredAt,
        long msgId,
        UUID messageId,
        UUID conversationId,
        UUID senderId,
        long membershipVersion,
        Payload payload,
        List<Channel> channels,
        Map<String, Object> metadata,
        String requestHash) implements HubEvent {

    public MessageAccepted {
        channels = channels == null ? List.of() : List.copyOf(channels);
        metadata = Metadata.immutableCopy(metadata);
    }
}

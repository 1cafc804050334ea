package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery to do: a message to one recipient through one external channel.
 *
 * @param deliveryId       stable across retries and replays; adapters dedupe on it so the provider
 *                         never receives the same delivery twice
 * @param recipientAddress the recipient's address on the channel (E.164 digits, an IGSID)
 */
public record ChannelOutbound(
        UUID eventId,
        Instant occurredAt,
        UUID deliveryId,
        long msgId,
        UUID messageId,
        UUID conversationId,
        long seq,
        UUID senderId,
        UUID recipientId,
        Channel channel,
        String recipientAddress,
        Payload payload) implements HubEvent {
}

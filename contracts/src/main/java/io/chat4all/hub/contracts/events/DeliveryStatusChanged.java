package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A step of a delivery's lifecycle. {@code recipientId} and {@code channel} are null for
 * message-wide steps ({@code accepted}, {@code in_transit}).
 *
 * @param providerMessageId the provider's id ({@code wamid…}, Instagram {@code mid}) once known
 * @param error             why a delivery {@code failed}; null otherwise
 */
public record DeliveryStatusChanged(
        UUID eventId,
        Instant occurredAt,
        long msgId,
        UUID messageId,
        UUID conversationId,
        UUID recipientId,
        Channel channel,
        DeliveryStatus status,
        String providerMessageId,
        DeliveryError error) implements HubEvent {

    /** A provider's failure code and reason, kept verbatim. */
    public record DeliveryError(String code, String reason) {
    }
}

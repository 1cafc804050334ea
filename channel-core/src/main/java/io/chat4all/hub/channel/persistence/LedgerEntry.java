package io.chat4all.hub.channel.persistence;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import java.util.UUID;

/**
 * A delivery as the ledger knows it.
 *
 * @param state  sending, sent, failed, dead or uncertain (see the migration)
 * @param status the furthest status published for it
 */
public record LedgerEntry(
        UUID deliveryId,
        Channel channel,
        long msgId,
        UUID messageId,
        UUID conversationId,
        UUID recipientId,
        String state,
        String providerMessageId,
        DeliveryStatus status,
        String errorCode,
        String errorReason) {
}

package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer wrote to a business address through an external channel (a provider webhook). The
 * gateway turns it into an ordinary hub message from the contact to the business user, in their
 * private conversation (both created on first contact).
 *
 * @param providerMessageId the provider's id of the inbound message ({@code wamid…}, a {@code mid});
 *                          providers retry webhooks, so readers dedupe on it
 * @param fromAddress       the contact's address on the channel (E.164 digits, an IGSID)
 * @param toAddress         the business address written to (the display number, the IG account id)
 * @param contactName       the profile name the provider reports, if any
 * @param sentAt            when the customer sent it, by the provider's clock
 */
public record InboundChannelMessage(
        UUID eventId,
        Instant occurredAt,
        Channel channel,
        String providerMessageId,
        String fromAddress,
        String toAddress,
        String contactName,
        Payload payload,
        Instant sentAt) implements HubEvent {
}

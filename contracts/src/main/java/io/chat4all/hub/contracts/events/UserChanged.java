package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A user of the hub was created, changed or erased. Readers keep the latest event per user (a
 * table): the router needs the channel addresses to deliver outside the hub.
 *
 * @param channels the user's address per external channel (E.164 digits for WhatsApp, an IGSID
 *                 for Instagram); a channel without an address is not delivered to
 * @param erased   true when the user was erased; readers drop what they hold about them
 */
public record UserChanged(
        UUID eventId,
        Instant occurredAt,
        UUID userId,
        String username,
        String displayName,
        Map<Channel, String> channels,
        boolean erased) implements HubEvent {

    public UserChanged {
        channels = channels == null ? Map.of() : Map.copyOf(channels);
    }
}

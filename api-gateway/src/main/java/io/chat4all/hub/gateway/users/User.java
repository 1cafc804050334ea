package io.chat4all.hub.gateway.users;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.gateway.core.Role;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A user of the hub (the password hash never leaves the persistence layer and the login check). */
public record User(UUID userId, String username, String displayName, Role role, Map<Channel, String> channels,
                   Instant createdAt) {

    public User {
        channels = channels == null ? Map.of() : Map.copyOf(channels);
    }
}

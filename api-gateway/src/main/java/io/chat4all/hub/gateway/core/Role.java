package io.chat4all.hub.gateway.core;

import java.util.Locale;

/** What a caller may do: users act as themselves, admins manage users and keys, integrators (API keys) send as anyone. */
public enum Role {
    USER, ADMIN, INTEGRATOR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

package io.chat4all.hub.gateway.core;

import java.time.Instant;
import java.util.UUID;

/**
 * Who is calling: a user (through a token) or an integrator (through an API key, acting for the
 * admin who owns it, and allowed to send as any user), and what they authenticated with, so access
 * can be taken back while they are connected ({@link AccessControl}).
 */
public record HubPrincipal(UUID userId, String name, Role role, Credential credential) {

    /** What a caller authenticated with. */
    public sealed interface Credential {
    }

    /**
     * A signed token: its {@code jti}, the token version of its user when it was issued (claim
     * {@code ver}) and when it expires.
     */
    public record Token(UUID tokenId, int version, Instant expiresAt) implements Credential {
    }

    /** An API key, by id. */
    public record Key(UUID keyId) implements Credential {
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean isIntegrator() {
        return role == Role.INTEGRATOR;
    }
}

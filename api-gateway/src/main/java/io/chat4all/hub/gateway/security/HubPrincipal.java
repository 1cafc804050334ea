package io.chat4all.hub.gateway.security;

import io.chat4all.hub.gateway.domain.Role;
import java.util.UUID;

/**
 * Who is calling: a user (through a token) or an integrator (through an API key, acting for the
 * admin who created it, and allowed to send as any user).
 */
public record HubPrincipal(UUID userId, String name, Role role) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean isIntegrator() {
        return role == Role.INTEGRATOR;
    }
}

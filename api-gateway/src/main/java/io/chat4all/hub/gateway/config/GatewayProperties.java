package io.chat4all.hub.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's own settings.
 *
 * @param adminUsername username of the administrator created at the first start
 * @param adminPassword its initial password; no default (the local stack generates one)
 * @param nodeId        Snowflake node id of this instance (0..1023), unique per running instance
 * @param jwt           token signing
 * @param maxGroupMembers members a group may have, its creator included ({@code HUB_MAX_GROUP_MEMBERS}); every
 *                      membership change carries the whole member list, so this bounds the size of
 *                      the events and of the router's state
 */
@ConfigurationProperties("hub.gateway")
public record GatewayProperties(String adminUsername, String adminPassword, int nodeId, Jwt jwt, int maxGroupMembers) {

    /**
     * @param keys   {@code kid:secret} pairs, comma separated ({@code HUB_JWT_KEYS}); the last one
     *               signs, all verify, so a new key is added at the end and an old one removed once
     *               its tokens expired. Secrets need at least 32 bytes (HS256).
     * @param ttl    lifetime of an access token
     * @param issuer the {@code iss} claim
     */
    public record Jwt(String keys, Duration ttl, String issuer) {

        public Jwt {
            ttl = ttl == null ? Duration.ofHours(1) : ttl;
            issuer = issuer == null || issuer.isBlank() ? "chat4all-hub" : issuer;
        }

        @Override
        public String toString() {
            return "Jwt[keys=" + (keys == null || keys.isBlank() ? "<unset>" : "<set>") + ", ttl=" + ttl
                    + ", issuer=" + issuer + "]";
        }
    }

    public GatewayProperties {
        jwt = jwt == null ? new Jwt(null, null, null) : jwt;
        maxGroupMembers = maxGroupMembers <= 0 ? 1000 : maxGroupMembers;
    }

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "GatewayProperties[adminUsername=" + adminUsername + ", adminPassword="
                + (adminPassword == null || adminPassword.isEmpty() ? "<unset>" : "<set>") + ", nodeId=" + nodeId
                + ", jwt=" + jwt + ", maxGroupMembers=" + maxGroupMembers + "]";
    }
}

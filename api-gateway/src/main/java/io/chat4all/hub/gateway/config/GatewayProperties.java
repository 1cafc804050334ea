package io.chat4all.hub.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's own settings.
 *
 * @param adminUsername username of the administrator created at the first start
 * @param adminPassword its initial password; no default (the local stack generates one)
 * @param nodeId Snowflake node id of this instance (0..1023), unique per running instance
 */
@ConfigurationProperties("hub.gateway")
public record GatewayProperties(
        String adminUsername,
        String adminPassword,
        int nodeId) {

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "GatewayProperties[" + "adminUsername=" + adminUsername + ", "
                + "adminPassword=" + masked(adminPassword) + ", "
                + "nodeId=" + nodeId + "]";
    }

    private static String masked(String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : "<set>";
    }
}

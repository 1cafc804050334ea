package io.chat4all.hub.instagram.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Instagram Messaging API connection.
 *
 * @param baseUrl provider base URL (the simulator's in the local stack)
 * @param apiVersion Graph API version
 * @param accessToken page access token; no default
 * @param appSecret app secret that signs webhooks; no default
 * @param verifyToken webhook verification token; no default
 */
@ConfigurationProperties("hub.instagram")
public record InstagramProperties(
        String baseUrl,
        String apiVersion,
        String accessToken,
        String appSecret,
        String verifyToken) {

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "InstagramProperties[" + "baseUrl=" + baseUrl + ", "
                + "apiVersion=" + apiVersion + ", "
                + "accessToken=" + masked(accessToken) + ", "
                + "appSecret=" + masked(appSecret) + ", "
                + "verifyToken=" + masked(verifyToken) + "]";
    }

    private static String masked(String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : "<set>";
    }
}

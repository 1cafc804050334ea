package io.chat4all.hub.whatsapp.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The WhatsApp Cloud API connection.
 *
 * @param baseUrl provider base URL (the simulator's in the local stack)
 * @param apiVersion Graph API version
 * @param accessToken bearer token; no default
 * @param appSecret app secret that signs webhooks; no default
 * @param verifyToken webhook verification token; no default
 * @param messagesPerSecond send rate per business number
 */
@ConfigurationProperties("hub.whatsapp")
public record WhatsAppProperties(
        String baseUrl,
        String apiVersion,
        String accessToken,
        String appSecret,
        String verifyToken,
        int messagesPerSecond) {

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "WhatsAppProperties[" + "baseUrl=" + baseUrl + ", "
                + "apiVersion=" + apiVersion + ", "
                + "accessToken=" + masked(accessToken) + ", "
                + "appSecret=" + masked(appSecret) + ", "
                + "verifyToken=" + masked(verifyToken) + ", "
                + "messagesPerSecond=" + messagesPerSecond + "]";
    }

    private static String masked(String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : "<set>";
    }
}

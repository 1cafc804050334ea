package io.chat4all.hub.whatsapp.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The WhatsApp Cloud API connection. Rates, retries and timeouts are {@code hub.channel.*}.
 *
 * @param baseUrl       provider base URL: {@code https://graph.facebook.com}, or the simulator's
 * @param apiVersion    Graph API version
 * @param phoneNumberId the business phone number id messages are sent from
 * @param accessToken   bearer token (a system user token in production); no default
 * @param appSecret     the app secret that signs webhooks; no default
 * @param verifyToken   the webhook verification token chosen when subscribing; no default
 */
@ConfigurationProperties("hub.whatsapp")
public record WhatsAppProperties(
        String baseUrl,
        String apiVersion,
        String phoneNumberId,
        String accessToken,
        String appSecret,
        String verifyToken) {

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "WhatsAppProperties[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + ", phoneNumberId="
                + phoneNumberId + ", accessToken=" + masked(accessToken) + ", appSecret=" + masked(appSecret)
                + ", verifyToken=" + masked(verifyToken) + "]";
    }

    private static String masked(String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : "<set>";
    }
}

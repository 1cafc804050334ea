package io.chat4all.hub.instagram.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Instagram Messaging API connection. Rates, retries and timeouts are {@code hub.channel.*}.
 *
 * @param baseUrl     provider base URL: {@code https://graph.facebook.com}, or the simulator's
 * @param apiVersion  Graph API version
 * @param accountId   the Instagram professional account id messages go out from; empty = {@code me}
 *                    (the account of the page access token)
 * @param accessToken page access token; no default
 * @param appSecret   the app secret that signs webhooks; no default
 * @param verifyToken the webhook verification token chosen when subscribing; no default
 */
@ConfigurationProperties("hub.instagram")
public record InstagramProperties(
        String baseUrl,
        String apiVersion,
        String accountId,
        String accessToken,
        String appSecret,
        String verifyToken) {

    /** The path segment of the send endpoint: the account id, or {@code me}. */
    public String sender() {
        return accountId == null || accountId.isBlank() ? "me" : accountId;
    }

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "InstagramProperties[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + ", accountId=" + accountId
                + ", accessToken=" + masked(accessToken) + ", appSecret=" + masked(appSecret) + ", verifyToken="
                + masked(verifyToken) + "]";
    }

    private static String masked(String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : "<set>";
    }
}

package io.chat4all.hub.simulator.webhook;

import io.chat4all.hub.simulator.domain.Channel;

/**
 * One webhook to POST: the exact body bytes and their signature.
 *
 * @param kind              {@code status.sent}, {@code status.delivered}, {@code status.read},
 *                          {@code status.failed}, {@code read} (Instagram) or {@code inbound}
 * @param providerMessageId the wamid or mid it is about
 */
public record Webhook(Channel channel, String kind, String providerMessageId, String url, byte[] body,
                      String signature) {

    /** Signs {@code body} with the provider's app secret. */
    static Webhook signed(Channel channel, String kind, String providerMessageId, String url, String appSecret,
                          byte[] body) {
        return new Webhook(channel, kind, providerMessageId, url, body, WebhookSigner.sign(appSecret, body));
    }
}

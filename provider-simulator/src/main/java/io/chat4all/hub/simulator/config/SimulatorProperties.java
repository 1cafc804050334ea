package io.chat4all.hub.simulator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The simulator's knobs (environment variables in {@code application.yml}).
 *
 * @param accessToken    bearer token the provider endpoints require; empty accepts any non-empty token
 * @param statusWebhooks whether accepted sends produce status webhooks
 * @param maxRecords     recorded requests and webhook attempts kept (each); the oldest are dropped
 * @param delays         when status webhooks go out, after the send was accepted
 * @param webhook        delivery of webhooks: attempts, backoff, timeout
 * @param whatsapp       the WhatsApp Cloud API side
 * @param instagram      the Instagram Messaging API side
 */
@ConfigurationProperties("simulator")
public record SimulatorProperties(
        String accessToken,
        boolean statusWebhooks,
        int maxRecords,
        Delays delays,
        Webhook webhook,
        WhatsApp whatsapp,
        Instagram instagram) {

    public SimulatorProperties {
        accessToken = accessToken == null ? "" : accessToken;
        maxRecords = maxRecords > 0 ? maxRecords : 100_000;
        delays = delays == null ? new Delays(50, 150, 400) : delays;
        webhook = webhook == null ? new Webhook(6, 200, 5000) : webhook;
        whatsapp = whatsapp == null ? new WhatsApp(null, null, null, null) : whatsapp;
        instagram = instagram == null ? new Instagram(null, null, null) : instagram;
    }

    /** Milliseconds after the send was accepted; Instagram sends only {@code read}. */
    public record Delays(long sentMs, long deliveredMs, long readMs) {
    }

    /**
     * @param maxAttempts      attempts per webhook, the first included, until the receiver answers 2xx
     * @param initialBackoffMs wait before the second attempt, doubled before each next one
     * @param timeoutMs        how long one attempt waits for the receiver's answer
     */
    public record Webhook(int maxAttempts, long initialBackoffMs, long timeoutMs) {

        public Webhook {
            maxAttempts = Math.max(1, maxAttempts);
            timeoutMs = timeoutMs > 0 ? timeoutMs : 5000;
        }
    }

    /**
     * @param webhookUrl        where WhatsApp webhooks are POSTed (the channel-whatsapp adapter)
     * @param appSecret         signs them ({@code X-Hub-Signature-256})
     * @param displayNumber     echoed as {@code metadata.display_phone_number}
     * @param businessAccountId the WABA id in {@code entry[].id}
     */
    public record WhatsApp(String webhookUrl, String appSecret, String displayNumber, String businessAccountId) {

        public WhatsApp {
            webhookUrl = webhookUrl == null ? "http://127.0.0.1:8082/webhooks/whatsapp" : webhookUrl;
            appSecret = appSecret == null ? "local-whatsapp-app-secret" : appSecret;
            displayNumber = displayNumber == null ? "15550001000" : displayNumber;
            businessAccountId = businessAccountId == null ? "102290129340398" : businessAccountId;
        }

        @Override
        public String toString() {
            return "WhatsApp[webhookUrl=" + webhookUrl + ", appSecret=" + masked(appSecret) + ", displayNumber="
                    + displayNumber + ", businessAccountId=" + businessAccountId + "]";
        }
    }

    /**
     * @param webhookUrl where Instagram webhooks are POSTed (the channel-instagram adapter)
     * @param appSecret  signs them ({@code X-Hub-Signature-256})
     * @param businessId the business's Instagram id, used when a send goes to {@code /me/messages}
     */
    public record Instagram(String webhookUrl, String appSecret, String businessId) {

        public Instagram {
            webhookUrl = webhookUrl == null ? "http://127.0.0.1:8083/webhooks/instagram" : webhookUrl;
            appSecret = appSecret == null ? "local-instagram-app-secret" : appSecret;
            businessId = businessId == null ? "17841400000000000" : businessId;
        }

        @Override
        public String toString() {
            return "Instagram[webhookUrl=" + webhookUrl + ", appSecret=" + masked(appSecret) + ", businessId="
                    + businessId + "]";
        }
    }

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "SimulatorProperties[accessToken=" + masked(accessToken) + ", statusWebhooks=" + statusWebhooks
                + ", maxRecords=" + maxRecords + ", delays=" + delays + ", webhook=" + webhook
                + ", whatsapp=" + whatsapp + ", instagram=" + instagram + "]";
    }

    private static String masked(String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : "<set>";
    }
}

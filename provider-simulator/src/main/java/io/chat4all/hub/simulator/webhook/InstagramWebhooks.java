package io.chat4all.hub.simulator.webhook;

import io.chat4all.hub.simulator.config.SimulatorProperties;
import io.chat4all.hub.simulator.domain.Channel;
import io.chat4all.hub.simulator.domain.Ids;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Builds, signs and sends Instagram messaging webhooks: read receipts and inbound messages. */
@Component
public class InstagramWebhooks {

    private final SimulatorProperties properties;
    private final SimulatorProperties.Instagram instagram;
    private final WebhookSender sender;
    private final JsonMapper mapper;
    private final Clock clock;

    InstagramWebhooks(SimulatorProperties properties, WebhookSender sender, JsonMapper mapper, Clock clock) {
        this.properties = properties;
        this.instagram = properties.instagram();
        this.sender = sender;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The business's Instagram id a send to {@code /{igId}/messages} comes from ({@code me}: the configured one). */
    public String businessId(String igIdInPath) {
        return igIdInPath == null || igIdInPath.equals("me") ? instagram.businessId() : igIdInPath;
    }

    /** After an accepted send: the customer reads it, after the read delay (Instagram reports no delivery). */
    public void scheduleRead(String businessId, String recipientId, String mid) {
        if (!properties.statusWebhooks()) {
            return;
        }
        sender.deliverLater(Duration.ofMillis(properties.delays().readMs()), () -> {
            long now = clock.millis();
            return sign("read", mid, InstagramNotification.of(businessId, now, new InstagramNotification.Messaging(
                    new InstagramNotification.Party(recipientId), new InstagramNotification.Party(businessId), now,
                    null, new InstagramNotification.Read(mid))));
        });
    }

    /**
     * Sends a customer's text message to the business now.
     *
     * @param businessId the business's Instagram id; null for the configured one
     */
    public Mono<SentWebhook> sendInbound(String senderId, String businessId, String text) {
        String mid = Ids.instagramMid();
        String business = businessId(businessId);
        return Mono.fromSupplier(() -> {
            long now = clock.millis();
            return sign("inbound", mid, InstagramNotification.of(business, now, new InstagramNotification.Messaging(
                    new InstagramNotification.Party(senderId), new InstagramNotification.Party(business), now,
                    new InstagramNotification.Message(mid, text), null)));
        }).flatMap(sender::deliver).map(outcome -> new SentWebhook(mid, outcome));
    }

    private Webhook sign(String kind, String mid, InstagramNotification notification) {
        return Webhook.signed(Channel.INSTAGRAM, kind, mid, instagram.webhookUrl(), instagram.appSecret(),
                mapper.writeValueAsBytes(notification));
    }
}

package io.chat4all.hub.simulator.webhook;

import io.chat4all.hub.simulator.config.SimulatorProperties;
import io.chat4all.hub.simulator.domain.Channel;
import io.chat4all.hub.simulator.domain.Ids;
import io.chat4all.hub.simulator.domain.WhatsAppSend;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Builds, signs and sends the WhatsApp Cloud API's webhooks: message statuses and inbound messages. */
@Component
public class WhatsAppWebhooks {

    static final int DEFAULT_FAILURE_CODE = 131026;
    static final String DEFAULT_FAILURE_TITLE = "Message undeliverable.";

    private final SimulatorProperties properties;
    private final SimulatorProperties.WhatsApp whatsapp;
    private final WebhookSender sender;
    private final JsonMapper mapper;
    private final Clock clock;

    WhatsAppWebhooks(SimulatorProperties properties, WebhookSender sender, JsonMapper mapper, Clock clock) {
        this.properties = properties;
        this.whatsapp = properties.whatsapp();
        this.sender = sender;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** After an accepted send: {@code sent}, {@code delivered}, {@code read}, each after its configured delay. */
    public void scheduleStatuses(String phoneNumberId, WhatsAppSend send, String wamid) {
        if (!properties.statusWebhooks()) {
            return;
        }
        SimulatorProperties.Delays delays = properties.delays();
        schedule(delays.sentMs(), StatusUpdate.of(wamid, "sent", send.to(), phoneNumberId, send.bizOpaqueCallbackData()));
        schedule(delays.deliveredMs(),
                StatusUpdate.of(wamid, "delivered", send.to(), phoneNumberId, send.bizOpaqueCallbackData()));
        schedule(delays.readMs(), StatusUpdate.of(wamid, "read", send.to(), phoneNumberId, send.bizOpaqueCallbackData()));
    }

    /** Sends one status now; the first attempt's outcome (retries go on in the background). */
    public Mono<WebhookOutcome> sendStatus(StatusUpdate update) {
        return Mono.fromSupplier(() -> statusWebhook(update)).flatMap(sender::deliver);
    }

    /**
     * Sends a customer's text message to the business now.
     *
     * @return the new message's wamid and the first attempt's outcome
     */
    public Mono<SentWebhook> sendInbound(String from, String phoneNumberId, String text, String profileName) {
        String wamid = Ids.wamid();
        WhatsAppNotification.Value value = WhatsAppNotification.Value.inbound(metadata(phoneNumberId),
                new WhatsAppNotification.Contact(new WhatsAppNotification.Profile(profileName), from),
                new WhatsAppNotification.Message(from, wamid, epochSeconds(null), "text",
                        new WhatsAppNotification.Text(text)));
        return Mono.fromSupplier(() -> sign("inbound", wamid, WhatsAppNotification.of(whatsapp.businessAccountId(), value)))
                .flatMap(sender::deliver)
                .map(outcome -> new SentWebhook(wamid, outcome));
    }

    private void schedule(long delayMs, StatusUpdate update) {
        sender.deliverLater(Duration.ofMillis(delayMs), () -> statusWebhook(update));
    }

    private Webhook statusWebhook(StatusUpdate update) {
        boolean billed = update.status().equals("sent") || update.status().equals("delivered");
        WhatsAppNotification.Status status = new WhatsAppNotification.Status(update.wamid(), update.status(),
                epochSeconds(update.timestamp()), update.recipientId(), update.bizOpaqueCallbackData(),
                billed ? conversation(update) : null,
                billed ? new WhatsAppNotification.Pricing(true, "CBP", "service") : null,
                update.status().equals("failed") ? List.of(failure(update)) : null);
        WhatsAppNotification notification = WhatsAppNotification.of(whatsapp.businessAccountId(),
                WhatsAppNotification.Value.statuses(metadata(update.phoneNumberId()), status));
        return sign("status." + update.status(), update.wamid(), notification);
    }

    /** One conversation per business number and customer, as Meta opens one per 24 h window. */
    private static WhatsAppNotification.Conversation conversation(StatusUpdate update) {
        String key = update.phoneNumberId() + ":" + update.recipientId();
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        return new WhatsAppNotification.Conversation(id, new WhatsAppNotification.Origin("service"));
    }

    private static WhatsAppNotification.StatusError failure(StatusUpdate update) {
        int code = update.errorCode() == null ? DEFAULT_FAILURE_CODE : update.errorCode();
        String title = update.errorTitle() == null ? DEFAULT_FAILURE_TITLE : update.errorTitle();
        return new WhatsAppNotification.StatusError(code, title, title, new WhatsAppNotification.ErrorData(
                code == DEFAULT_FAILURE_CODE
                        ? "Unable to deliver message. Reasons can include: the recipient phone number is not a "
                                + "WhatsApp phone number; the recipient has not accepted our new Terms of Service."
                        : title));
    }

    private WhatsAppNotification.Metadata metadata(String phoneNumberId) {
        return new WhatsAppNotification.Metadata(whatsapp.displayNumber(), phoneNumberId);
    }

    private String epochSeconds(Long given) {
        return Long.toString(given != null ? given : clock.instant().getEpochSecond());
    }

    private Webhook sign(String kind, String wamid, WhatsAppNotification notification) {
        return Webhook.signed(Channel.WHATSAPP, kind, wamid, whatsapp.webhookUrl(), whatsapp.appSecret(),
                mapper.writeValueAsBytes(notification));
    }
}

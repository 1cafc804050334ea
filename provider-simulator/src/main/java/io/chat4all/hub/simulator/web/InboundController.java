package io.chat4all.hub.simulator.web;

import io.chat4all.hub.simulator.webhook.InstagramWebhooks;
import io.chat4all.hub.simulator.webhook.SentWebhook;
import io.chat4all.hub.simulator.webhook.StatusUpdate;
import io.chat4all.hub.simulator.webhook.WebhookOutcome;
import io.chat4all.hub.simulator.webhook.WhatsAppWebhooks;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Control API: webhooks on demand: a customer's message ({@code /_sim/whatsapp/inbound},
 * {@code /_sim/instagram/inbound}) and any WhatsApp status ({@code /_sim/whatsapp/status}), e.g. out of order.
 * Each answers after the first attempt, with the receiver's status; retries go on in the background.
 */
@RestController
class InboundController {

    private static final Pattern PHONE = Pattern.compile("[0-9]{7,15}");
    private static final List<String> STATUSES = List.of("sent", "delivered", "read", "failed");
    private static final String DEFAULT_PROFILE_NAME = "Test Customer";

    private final WhatsAppWebhooks whatsapp;
    private final InstagramWebhooks instagram;

    InboundController(WhatsAppWebhooks whatsapp, InstagramWebhooks instagram) {
        this.whatsapp = whatsapp;
        this.instagram = instagram;
    }

    /** @param name the customer's profile name; optional */
    record WhatsAppInbound(String from, String phoneNumberId, String text, String name) {
    }

    /** @param recipient the business's Instagram id; optional (the configured one) */
    record InstagramInbound(String sender, String recipient, String text) {
    }

    /** @param webhookStatus the receiver's HTTP status, null when it could not be reached ({@code webhook_error}) */
    record InboundSent(String id, Integer webhookStatus, String webhookError) {

        static InboundSent of(SentWebhook sent) {
            return new InboundSent(sent.providerMessageId(), sent.outcome().status(), sent.outcome().error());
        }
    }

    record StatusSent(Integer webhookStatus, String webhookError) {

        static StatusSent of(WebhookOutcome outcome) {
            return new StatusSent(outcome.status(), outcome.error());
        }
    }

    @PostMapping("/_sim/whatsapp/inbound")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<InboundSent> whatsappInbound(@RequestBody WhatsAppInbound inbound) {
        require(inbound.from() != null && PHONE.matcher(inbound.from()).matches(),
                "from must be a phone number of 7 to 15 digits, without '+'");
        require(notBlank(inbound.phoneNumberId()), "phone_number_id is required");
        require(notBlank(inbound.text()), "text is required");
        String name = notBlank(inbound.name()) ? inbound.name() : DEFAULT_PROFILE_NAME;
        return whatsapp.sendInbound(inbound.from(), inbound.phoneNumberId(), inbound.text(), name).map(InboundSent::of);
    }

    @PostMapping("/_sim/instagram/inbound")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<InboundSent> instagramInbound(@RequestBody InstagramInbound inbound) {
        require(notBlank(inbound.sender()), "sender is required (the customer's IGSID)");
        require(notBlank(inbound.text()), "text is required");
        return instagram.sendInbound(inbound.sender(), inbound.recipient(), inbound.text()).map(InboundSent::of);
    }

    @PostMapping("/_sim/whatsapp/status")
    Mono<StatusSent> whatsappStatus(@RequestBody StatusUpdate update) {
        require(notBlank(update.wamid()), "wamid is required");
        require(update.status() != null && STATUSES.contains(update.status()),
                "status must be one of sent, delivered, read, failed");
        require(notBlank(update.recipientId()), "recipient_id is required");
        require(notBlank(update.phoneNumberId()), "phone_number_id is required");
        return whatsapp.sendStatus(update).map(StatusSent::of);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

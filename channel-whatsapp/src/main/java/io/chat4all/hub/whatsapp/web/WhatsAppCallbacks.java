package io.chat4all.hub.whatsapp.web;

import io.chat4all.hub.channel.messaging.WebhookStatuses;
import io.chat4all.hub.channel.web.WebhookCallback;
import io.chat4all.hub.channel.web.WebhookParser;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged.DeliveryError;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.events.Payload;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads WhatsApp's webhook envelope ({@code object: whatsapp_business_account}, entries of
 * {@code changes} with {@code field: messages}): {@code value.statuses[]} become delivery updates
 * (found by {@code biz_opaque_callback_data}, else by wamid), {@code value.messages[]} inbound
 * messages to the business number in {@code value.metadata}.
 */
@Component
class WhatsAppCallbacks implements WebhookParser {

    private final Clock clock;

    WhatsAppCallbacks(Clock clock) {
        this.clock = clock;
    }

    @Override
    public WebhookCallback parse(JsonNode envelope) {
        if (!"whatsapp_business_account".equals(envelope.path("object").asString(""))) {
            throw new IllegalArgumentException("object is not whatsapp_business_account");
        }
        List<WebhookStatuses.Update> statuses = new ArrayList<>();
        List<InboundChannelMessage> inbound = new ArrayList<>();
        for (JsonNode entry : envelope.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                if (!"messages".equals(change.path("field").asString(""))) {
                    continue;
                }
                JsonNode value = change.path("value");
                for (JsonNode status : value.path("statuses")) {
                    update(status).ifPresent(statuses::add);
                }
                String business = value.path("metadata").path("display_phone_number").asString("");
                Map<String, String> names = contactNames(value.path("contacts"));
                for (JsonNode message : value.path("messages")) {
                    inbound.add(inboundMessage(message, business, names));
                }
            }
        }
        return new WebhookCallback(statuses, inbound);
    }

    private static Optional<WebhookStatuses.Update> update(JsonNode status) {
        DeliveryStatus next = switch (status.path("status").asString("")) {
            case "sent" -> DeliveryStatus.SENT;
            case "delivered" -> DeliveryStatus.DELIVERED;
            case "read" -> DeliveryStatus.READ;
            case "failed" -> DeliveryStatus.FAILED;
            default -> null;
        };
        if (next == null) {
            return Optional.empty();
        }
        DeliveryError error = null;
        if (next == DeliveryStatus.FAILED) {
            JsonNode first = status.path("errors").path(0);
            String details = first.path("error_data").path("details").asString("");
            String title = first.path("title").asString(first.path("message").asString("failed"));
            error = new DeliveryError(first.path("code").asString("unknown"),
                    details.isEmpty() ? title : title + ": " + details);
        }
        return Optional.of(new WebhookStatuses.Update(deliveryId(status.path("biz_opaque_callback_data")),
                status.path("id").asString(null), next, error));
    }

    private InboundChannelMessage inboundMessage(JsonNode message, String business, Map<String, String> names) {
        String from = message.path("from").asString("");
        String id = message.path("id").asString("");
        if (from.isEmpty() || id.isEmpty()) {
            throw new IllegalArgumentException("an inbound message without from or id");
        }
        String type = message.path("type").asString("text");
        String text = "text".equals(type) ? message.path("text").path("body").asString("")
                : "[" + type + " message: this type is not carried into the hub yet]";
        long seconds = message.path("timestamp").asLong(0);
        Instant sentAt = seconds > 0 ? Instant.ofEpochSecond(seconds) : Instant.now(clock);
        return new InboundChannelMessage(UUID.nameUUIDFromBytes(("inbound:whatsapp:" + id).getBytes(StandardCharsets.UTF_8)),
                Instant.now(clock), Channel.WHATSAPP, id, from, business, names.get(from), new Payload.Text(text), sentAt);
    }

    private static Map<String, String> contactNames(JsonNode contacts) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode contact : contacts) {
            String name = contact.path("profile").path("name").asString("");
            if (!name.isEmpty()) {
                names.put(contact.path("wa_id").asString(""), name);
            }
        }
        return names;
    }

    private static UUID deliveryId(JsonNode opaque) {
        try {
            return opaque.isString() ? UUID.fromString(opaque.asString()) : null;
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }
}

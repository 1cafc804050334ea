package io.chat4all.hub.instagram.web;

import io.chat4all.hub.channel.messaging.WebhookStatuses;
import io.chat4all.hub.channel.web.WebhookCallback;
import io.chat4all.hub.channel.web.WebhookParser;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.events.Payload;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads Instagram's webhook envelope ({@code object: instagram}, entries of {@code messaging}
 * events): {@code read.mid} is a read receipt (Instagram has no per-message {@code delivered});
 * a {@code message} that is not an echo of the business's own send is an inbound message.
 */
@Component
class InstagramCallbacks implements WebhookParser {

    private final Clock clock;

    InstagramCallbacks(Clock clock) {
        this.clock = clock;
    }

    @Override
    public WebhookCallback parse(JsonNode envelope) {
        if (!"instagram".equals(envelope.path("object").asString(""))) {
            throw new IllegalArgumentException("object is not instagram");
        }
        List<WebhookStatuses.Update> statuses = new ArrayList<>();
        List<InboundChannelMessage> inbound = new ArrayList<>();
        for (JsonNode entry : envelope.path("entry")) {
            for (JsonNode event : entry.path("messaging")) {
                String mid = event.path("read").path("mid").asString("");
                if (!mid.isEmpty()) {
                    statuses.add(new WebhookStatuses.Update(null, mid, DeliveryStatus.READ, null));
                }
                JsonNode message = event.path("message");
                if (message.isObject() && !message.path("is_echo").asBoolean(false)) {
                    inbound.add(inboundMessage(event, message));
                }
            }
        }
        return new WebhookCallback(statuses, inbound);
    }

    private InboundChannelMessage inboundMessage(JsonNode event, JsonNode message) {
        String mid = message.path("mid").asString("");
        String from = event.path("sender").path("id").asString("");
        if (mid.isEmpty() || from.isEmpty()) {
            throw new IllegalArgumentException("an inbound message without sender or mid");
        }
        String text = message.path("text").asString("");
        if (text.isEmpty() && message.has("attachments")) {
            text = "[attachment: this type is not carried into the hub yet]";
        }
        long millis = event.path("timestamp").asLong(0);
        Instant sentAt = millis > 0 ? Instant.ofEpochMilli(millis) : Instant.now(clock);
        return new InboundChannelMessage(UUID.nameUUIDFromBytes(("inbound:instagram:" + mid).getBytes(StandardCharsets.UTF_8)),
                Instant.now(clock), Channel.INSTAGRAM, mid, from, event.path("recipient").path("id").asString(""), null,
                new Payload.Text(text), sentAt);
    }
}

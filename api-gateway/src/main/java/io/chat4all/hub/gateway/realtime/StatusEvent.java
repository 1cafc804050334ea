package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A step of a message's delivery, for the members who received the message (the error only for the
 * recipient it is about and the sender, see {@code LiveEvents}): {@code recipient} and
 * {@code channel} are absent for message-wide steps ({@code in_transit}), as in the status API.
 * Status events are live only; a replayed message carries its current status.
 */
public record StatusEvent(UUID messageId, UUID conversationId, UUID recipient, String channel, String status,
                          Instant at, String errorCode, String errorReason) implements LiveEvent {

    static StatusEvent of(DeliveryStatusChanged change) {
        return new StatusEvent(change.messageId(), change.conversationId(), change.recipientId(),
                change.channel() == null ? null : change.channel().wireName(), change.status().wireName(),
                change.occurredAt(), change.error() == null ? null : change.error().code(),
                change.error() == null ? null : change.error().reason());
    }

    /** The same step without the provider's error: what recipients other than the one it is about see. */
    StatusEvent withoutError() {
        return errorCode == null && errorReason == null ? this
                : new StatusEvent(messageId, conversationId, recipient, channel, status, at, null, null);
    }

    @Override
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "status");
        body.put("message_id", messageId);
        body.put("conversation_id", conversationId);
        if (recipient != null) {
            body.put("recipient", recipient);
            body.put("channel", channel);
        }
        body.put("status", status);
        body.put("at", at);
        if (errorCode != null || errorReason != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", errorCode);
            error.put("reason", errorReason);
            body.put("error", error);
        }
        return body;
    }
}

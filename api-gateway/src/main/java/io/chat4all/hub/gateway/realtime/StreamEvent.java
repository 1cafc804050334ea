package io.chat4all.hub.gateway.realtime;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One message event of a user's stream: their copy of a message and its position. Built from a
 * live {@code messages.participant} record or from a stored copy when replaying; both read the same.
 * A conversation's history replayed by {@code seq} has no stream position ({@code cursor} null):
 * its {@code seq} is where to resume.
 */
public record StreamEvent(StreamCursor cursor, UUID messageId, long seq, UUID conversationId, UUID from,
                          Map<String, Object> payload, Map<String, Object> metadata, String status, Instant createdAt)
        implements LiveEvent {

    /** The JSON body clients receive ({@code type: "message"}, API.md's message fields and the cursor). */
    @Override
    public Map<String, Object> body() {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", "message");
        if (cursor != null) {
            body.put("cursor", cursor.encode());
        }
        body.put("message_id", messageId);
        body.put("seq", seq);
        body.put("conversation_id", conversationId);
        body.put("from", from);
        body.put("payload", payload);
        body.put("metadata", metadata);
        body.put("status", status);
        body.put("created_at", createdAt);
        return body;
    }
}

package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.Payload;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A validated {@code POST /v1/messages}: who sends what where. */
public record MessageRequest(UUID messageId, UUID conversationId, UUID senderId, Payload payload, List<Channel> channels,
                             Map<String, Object> metadata) {
}

package io.chat4all.hub.archive;

import java.time.Instant;
import java.util.UUID;

/**
 * One participant's copy of a message as archived: the {@code participant_messages} row and the
 * message's status at archive time. {@code payload} and {@code metadata} are JSON text, as stored.
 */
public record ArchiveRow(UUID ownerId, UUID conversationId, long seq, long msgId, UUID messageId, UUID senderId,
                         String direction, String payload, String metadata, String status, Instant acceptedAt,
                         Instant storedAt) {
}

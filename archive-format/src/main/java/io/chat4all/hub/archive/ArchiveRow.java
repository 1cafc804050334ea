package io.chat4all.hub.archive;

import java.time.Instant;
import java.util.UUID;

/**
 * One participant's copy of a message as archived: the {@code participant_messages} row and the
 * message's status at archive time. {@code payload} and {@code metadata} are JSON text, as stored.
 * {@code stream} is the copy's position in its owner's event stream ({@code messages.participant}),
 * null for copies stored before positions were kept and in format 1 files.
 */
public record ArchiveRow(UUID ownerId, UUID conversationId, long seq, long msgId, UUID messageId, UUID senderId,
                         String direction, String payload, String metadata, String status, Instant acceptedAt,
                         Instant storedAt, StreamPosition stream) {

    /** Where a copy sits in {@code messages.participant}. */
    public record StreamPosition(int partition, long offset) {
    }

    /** A copy without a stream position. */
    public ArchiveRow(UUID ownerId, UUID conversationId, long seq, long msgId, UUID messageId, UUID senderId,
                      String direction, String payload, String metadata, String status, Instant acceptedAt,
                      Instant storedAt) {
        this(ownerId, conversationId, seq, msgId, messageId, senderId, direction, payload, metadata, status, acceptedAt,
                storedAt, null);
    }

    /** True when the copy sits in {@code partition} strictly after {@code after} and at or before {@code upTo}. */
    public boolean streamedBetween(int partition, long after, long upTo) {
        return stream != null && stream.partition() == partition && stream.offset() > after && stream.offset() <= upTo;
    }
}

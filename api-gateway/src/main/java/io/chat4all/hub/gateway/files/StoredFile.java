package io.chat4all.hub.gateway.files;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code files}. */
public record StoredFile(UUID fileId, UUID ownerId, String filename, String contentType, long size, String sha256,
                         String objectKey, String uploadId, long partSize, int partCount, String state, String reason,
                         Instant createdAt, Instant expiresAt, Instant completedAt) {

    public boolean available() {
        return "available".equals(state);
    }

    /** The deterministic key: everything of a user sits under {@code users/<id>/} (erasure finds it there). */
    public static String objectKey(UUID ownerId, UUID fileId) {
        return "users/" + ownerId + "/files/" + fileId;
    }
}

package io.chat4all.hub.gateway.files;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Attachments.
 *
 * @param maxSize         largest file accepted ({@code HUB_FILES_MAX_SIZE}, default 2 GiB); above → 413
 * @param contentTypes    allowed content types, {@code type/*} wildcards allowed ({@code HUB_FILES_CONTENT_TYPES}); others → 415
 * @param uploadExpiry    how long an upload may take; one not completed by then is aborted ({@code HUB_FILES_UPLOAD_EXPIRY})
 * @param partUrlExpiry   how long a presigned part URL stays valid ({@code HUB_FILES_PART_URL_EXPIRY}, 15 min);
 *                        a client that needs longer asks for fresh ones ({@code POST /v1/files/{id}/parts})
 * @param downloadExpiry  how long a presigned download URL stays valid
 * @param publicEndpoint  the S3 endpoint as clients reach it, used to presign ({@code S3_PUBLIC_ENDPOINT};
 *                        defaults to {@code S3_ENDPOINT}); in compose the services reach MinIO as
 *                        {@code http://minio:9000}, clients through a public host name
 * @param cleanupInterval how often abandoned uploads are looked for
 * @param largeTextThreshold texts longer than this (UTF-8 bytes) are stored once in object storage
 *                        and referenced from every copy ({@code HUB_LARGE_TEXT_THRESHOLD}, 16 KiB)
 */
@ConfigurationProperties("hub.files")
public record FileProperties(
        DataSize maxSize,
        List<String> contentTypes,
        Duration uploadExpiry,
        Duration partUrlExpiry,
        Duration downloadExpiry,
        String publicEndpoint,
        Duration cleanupInterval,
        DataSize largeTextThreshold) {

    public FileProperties {
        maxSize = maxSize == null ? DataSize.ofGigabytes(2) : maxSize;
        contentTypes = contentTypes == null || contentTypes.isEmpty() ? List.of("image/*", "video/*", "audio/*",
                "text/plain", "application/pdf", "application/zip", "application/octet-stream") : List.copyOf(contentTypes);
        uploadExpiry = uploadExpiry == null ? Duration.ofHours(6) : uploadExpiry;
        partUrlExpiry = partUrlExpiry == null ? Duration.ofMinutes(15) : partUrlExpiry;
        downloadExpiry = downloadExpiry == null ? Duration.ofMinutes(5) : downloadExpiry;
        cleanupInterval = cleanupInterval == null ? Duration.ofMinutes(1) : cleanupInterval;
        largeTextThreshold = largeTextThreshold == null ? DataSize.ofKilobytes(16) : largeTextThreshold;
    }

    /** True when {@code contentType} (parameters ignored) matches the allow-list. */
    public boolean allows(String contentType) {
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return contentTypes.stream().map(t -> t.trim().toLowerCase(java.util.Locale.ROOT)).anyMatch(allowed ->
                allowed.endsWith("/*") ? bare.startsWith(allowed.substring(0, allowed.length() - 1)) : allowed.equals(bare));
    }
}

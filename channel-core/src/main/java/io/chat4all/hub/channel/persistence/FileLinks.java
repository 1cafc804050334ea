package io.chat4all.hub.channel.persistence;

import io.chat4all.hub.channel.domain.FileLink;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.http.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Links the provider downloads an attachment from: the gateway's {@code files} row (only an
 * {@code available} file) and a presigned {@code GET} signed for the storage address the provider
 * can reach ({@code S3_PUBLIC_ENDPOINT}). Presigning makes no network call.
 */
public class FileLinks {

    private final JdbcTemplate jdbc;
    private final MinioClient presigner;
    private final String bucket;
    private final Duration expiry;

    /** @param presigner null when no storage credentials are configured: no file can be linked then */
    public FileLinks(JdbcTemplate jdbc, MinioClient presigner, String bucket, Duration expiry) {
        this.jdbc = jdbc;
        this.presigner = presigner;
        this.bucket = bucket;
        this.expiry = expiry;
    }

    public Optional<FileLink> find(String fileId) {
        if (presigner == null) {
            return Optional.empty();
        }
        UUID id;
        try {
            id = UUID.fromString(fileId);
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
        return jdbc.query("SELECT object_key, filename, content_type FROM files WHERE file_id = ? AND state = 'available'",
                (rs, i) -> new FileLink(presign(rs.getString("object_key")), rs.getString("filename"),
                        rs.getString("content_type")), id).stream().findFirst();
    }

    private String presign(String key) {
        try {
            return presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(bucket)
                    .object(key).expiry((int) expiry.toSeconds()).build());
        } catch (Exception e) {
            throw new IllegalStateException("presigning " + key + " failed: " + e.getMessage(), e);
        }
    }
}

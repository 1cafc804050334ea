package io.chat4all.hub.indexer.index;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a large text from the hub's bucket. A missing object (its message was erased) indexes the
 * preview; object storage being unreachable throws, so the batch is retried rather than indexed
 * with a partial text.
 */
public final class S3TextSource implements TextSource {

    private static final Logger log = LoggerFactory.getLogger(S3TextSource.class);

    private final MinioClient client;
    private final String bucket;

    public S3TextSource(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    @Override
    public String read(String objectKey, String preview) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(objectKey).build())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                log.warn("large text {} is gone from bucket {}; indexing its preview", objectKey, bucket);
                return preview;
            }
            throw new IllegalStateException("cannot read large text " + objectKey + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read large text " + objectKey + ": " + e.getMessage(), e);
        }
    }
}

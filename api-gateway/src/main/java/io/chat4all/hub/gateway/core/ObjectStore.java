package io.chat4all.hub.gateway.core;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.http.Method;
import io.minio.messages.Part;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The hub's bucket, for attachments: multipart uploads the client fills through presigned URLs,
 * and streaming verification. Blocking: call from a bounded scheduler, never the event loop.
 * Presigning needs no network call; it signs for the endpoint clients reach ({@code presigner}).
 */
public class ObjectStore {

    private static final int BUFFER = 1 << 20;

    private final MinioAsyncClient client;
    private final MinioAsyncClient presigner;
    private final PartPresigner parts;
    private final String bucket;
    private final String region;

    /**
     * @param presigner      signs download URLs for {@code publicEndpoint}
     * @param publicEndpoint the S3 endpoint as clients reach it
     */
    public ObjectStore(MinioAsyncClient client, MinioAsyncClient presigner, String publicEndpoint, String bucket, String region,
                       String accessKey, String secretKey) {
        this.client = client;
        this.presigner = presigner;
        this.parts = new PartPresigner(publicEndpoint, bucket, region, accessKey, secretKey, java.time.Clock.systemUTC());
        this.bucket = bucket;
        this.region = region;
    }

    /** Starts a multipart upload and returns its upload id. */
    public String startUpload(String key, String contentType) {
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", contentType);
        return await(() -> client.createMultipartUploadAsync(bucket, region, key, headers, null)).result().uploadId();
    }

    /** A presigned {@code PUT} for one part of the upload, of exactly {@code length} bytes ({@link PartPresigner}). */
    public String presignPart(String key, String uploadId, int partNumber, long length, Duration expiry) {
        return parts.presignPart(key, uploadId, partNumber, length, expiry);
    }

    /** A presigned {@code GET} that downloads under {@code filename}. */
    public String presignDownload(String key, String filename, Duration expiry) {
        return await(() -> CompletableFuture.completedFuture(presigner.getPresignedObjectUrl(
                GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(bucket).region(region).object(key)
                        .expiry((int) expiry.toSeconds())
                        .extraQueryParams(Map.of("response-content-disposition", contentDisposition(filename)))
                        .build())));
    }

    /**
     * {@code attachment} with the name as RFC 6266 wants it: an ASCII {@code filename} for old
     * clients (other characters, quotes and backslashes as {@code _}) and, when the name is not
     * plain ASCII, {@code filename*} with its UTF-8 bytes percent-encoded (RFC 8187).
     */
    static String contentDisposition(String filename) {
        StringBuilder ascii = new StringBuilder();
        filename.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        String disposition = "attachment; filename=\"" + ascii + "\"";
        return ascii.toString().equals(filename) ? disposition
                : disposition + "; filename*=UTF-8''" + PartPresigner.encode(filename, false);
    }

    /** The parts the storage holds for the upload, by part number. */
    public List<Part> parts(String key, String uploadId) {
        List<Part> parts = new ArrayList<>();
        Integer marker = null;
        while (true) {
            Integer from = marker;
            var page = await(() -> client.listPartsAsync(bucket, region, key, 1000, from, uploadId, null, null)).result();
            parts.addAll(page.partList());
            if (!page.isTruncated()) {
                return parts;
            }
            marker = page.nextPartNumberMarker();
        }
    }

    public void complete(String key, String uploadId, Part[] parts) {
        await(() -> client.completeMultipartUploadAsync(bucket, region, key, uploadId, parts, null, null));
    }

    public void abort(String key, String uploadId) {
        await(() -> client.abortMultipartUploadAsync(bucket, region, key, uploadId, null, null));
    }

    public long size(String key) {
        return await(() -> client.statObject(StatObjectArgs.builder().bucket(bucket).region(region).object(key).build()))
                .size();
    }

    /** The object's SHA-256 (hex), read as a stream through a 1 MiB buffer: memory stays flat for any size. */
    public String sha256(String key) {
        try (InputStream in = await(() -> client.getObject(GetObjectArgs.builder().bucket(bucket).region(region)
                .object(key).build()))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[BUFFER];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new ObjectStoreException("reading " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes a small object in one request (overwriting the same key with the same bytes is harmless). */
    public void put(String key, byte[] bytes, String contentType) {
        await(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).region(region).object(key)
                .stream(new java.io.ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType).build()));
    }

    /** Reads a small object whole. */
    public byte[] read(String key) {
        try (InputStream in = await(() -> client.getObject(GetObjectArgs.builder().bucket(bucket).region(region)
                .object(key).build()))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new ObjectStoreException("reading " + key + " failed: " + e.getMessage(), e);
        }
    }

    public void remove(String key) {
        await(() -> client.removeObject(RemoveObjectArgs.builder().bucket(bucket).region(region).object(key).build()));
    }

    /** A call that returns a future and may throw the client's checked exceptions. */
    @FunctionalInterface
    interface Call<T> {
        CompletableFuture<T> start() throws Exception;
    }

    private static <T> T await(Call<T> call) {
        try {
            return call.start().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted", e);
        } catch (ExecutionException e) {
            throw new ObjectStoreException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (Exception e) {
            throw new ObjectStoreException(String.valueOf(e.getMessage()), e);
        }
    }
}

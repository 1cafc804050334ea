package io.chat4all.hub.gateway.files;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.ObjectStore;
import io.chat4all.hub.gateway.core.ObjectStoreException;
import io.minio.messages.Part;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The life of an attachment: a multipart upload the client fills through presigned URLs (the bytes
 * never pass through the gateway), completed and verified here, then usable in messages. Blocking.
 */
@Component
public class FileUploads {

    private static final Logger log = LoggerFactory.getLogger(FileUploads.class);
    /** S3's limits: parts of at least 5 MiB (but the last), at most 10,000 parts. */
    static final long MIN_PART_SIZE = 5L << 20;
    static final int MAX_PARTS = 10_000;

    private final FileRepository files;
    private final ObjectStore store;
    private final FileProperties properties;
    private final Clock clock;

    FileUploads(FileRepository files, ObjectStore store, FileProperties properties) {
        this.files = files;
        this.store = store;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    /** The smallest whole-MiB part size that keeps the file within S3's part limits. */
    static long partSize(long size) {
        long byCount = (size + MAX_PARTS - 1) / MAX_PARTS;
        long mib = 1L << 20;
        return Math.max(MIN_PART_SIZE, (byCount + mib - 1) / mib * mib);
    }

    /** A started upload and the presigned URL of each part, in part order, valid until {@code urlsExpireAt}. */
    public record Started(StoredFile file, List<String> partUrls, Instant urlsExpireAt) {
    }

    /** The length a part must have: {@code partSize}, but the last, which holds the rest. */
    static long partLength(StoredFile file, int partNumber) {
        return partNumber < file.partCount() ? file.partSize() : file.size() - (long) (file.partCount() - 1) * file.partSize();
    }

    private String presign(StoredFile file, int part) {
        Duration expiry = properties.partUrlExpiry().compareTo(Duration.between(Instant.now(clock), file.expiresAt())) < 0
                ? properties.partUrlExpiry() : Duration.between(Instant.now(clock), file.expiresAt());
        return store.presignPart(file.objectKey(), file.uploadId(), part, partLength(file, part),
                expiry.isNegative() ? Duration.ZERO : expiry);
    }

    /** Fresh part URLs of an upload under way (its owner's), e.g. once the first ones expired. */
    public Started presignAgain(UUID fileId, UUID caller, List<Integer> partNumbers) {
        StoredFile file = files.find(fileId).filter(f -> f.ownerId().equals(caller))
                .orElseThrow(() -> ApiException.notFound("file " + fileId));
        if (!"uploading".equals(file.state()) || !file.expiresAt().isAfter(Instant.now(clock))) {
            throw new ApiException(HttpStatus.CONFLICT, "File not uploading", "file " + fileId + " is " + file.state()
                    + "; part URLs are handed out only while it uploads");
        }
        List<String> urls = new ArrayList<>(partNumbers.size());
        for (int part : partNumbers) {
            if (part < 1 || part > file.partCount()) {
                throw ApiException.invalid("part_numbers", "must be 1.." + file.partCount());
            }
            urls.add(presign(file, part));
        }
        return new Started(file, urls, urlsExpireAt(file));
    }

    private Instant urlsExpireAt(StoredFile file) {
        Instant byUrl = Instant.now(clock).plus(properties.partUrlExpiry());
        return byUrl.isBefore(file.expiresAt()) ? byUrl : file.expiresAt();
    }

    public Started start(UUID owner, String filename, String contentType, long size, String sha256) {
        UUID fileId = UUID.randomUUID();
        String key = StoredFile.objectKey(owner, fileId);
        long partSize = partSize(size);
        int partCount = (int) ((size + partSize - 1) / partSize);
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        String uploadId = store.startUpload(key, contentType);
        StoredFile file = new StoredFile(fileId, owner, filename, contentType, size, sha256.toLowerCase(), key, uploadId,
                partSize, partCount, "uploading", null, now, now.plus(properties.uploadExpiry()), null);
        files.insert(file);
        List<String> urls = new ArrayList<>(partCount);
        for (int part = 1; part <= partCount; part++) {
            urls.add(presign(file, part));
        }
        log.info("upload of file {} ({} bytes, {} parts of {}) started by {}", fileId, size, partCount, partSize, owner);
        return new Started(file, urls, urlsExpireAt(file));
    }

    /** A part as the client reports it: its number and the ETag the storage answered its PUT with. */
    public record ClaimedPart(int partNumber, String etag) {
    }

    /**
     * Completes the upload with the client's parts (first step of completion; {@link #verify} is
     * the second, on a pool of its own): the parts must be the stored ones, the object the declared
     * size. Anything wrong rejects the file for good and removes what was stored. An available file
     * is returned as it is.
     */
    public StoredFile assemble(UUID fileId, UUID caller, List<ClaimedPart> claimed) {
        StoredFile file = files.find(fileId).filter(f -> f.ownerId().equals(caller))
                .orElseThrow(() -> ApiException.notFound("file " + fileId));
        if (file.available()) {
            return file;
        }
        if (!"uploading".equals(file.state())) {
            throw new ApiException(HttpStatus.CONFLICT, "File not uploading",
                    "file " + fileId + " is " + file.state() + (file.reason() == null ? "" : ": " + file.reason()));
        }
        Map<Integer, String> wanted = new TreeMap<>();
        for (ClaimedPart part : claimed) {
            if (part.partNumber() < 1 || part.partNumber() > file.partCount() || wanted.put(part.partNumber(),
                    unquote(part.etag())) != null) {
                throw ApiException.invalid("parts", "part numbers must be 1.." + file.partCount() + ", each once");
            }
        }
        if (wanted.size() != file.partCount()) {
            throw ApiException.invalid("parts", "expected " + file.partCount() + " parts, got " + wanted.size());
        }
        if (assembledBefore(file)) {
            return file; // a completion whose verification did not run (refused while busy, or a crash): verify now
        }
        Map<Integer, String> stored = new HashMap<>();
        store.parts(file.objectKey(), file.uploadId()).forEach(p -> stored.put(p.partNumber(), unquote(p.etag())));
        for (Map.Entry<Integer, String> part : wanted.entrySet()) {
            if (!stored.containsKey(part.getKey())) {
                throw reject(file, false, HttpStatus.BAD_REQUEST, "part " + part.getKey() + " was never uploaded");
            }
            if (!stored.get(part.getKey()).equalsIgnoreCase(part.getValue())) {
                throw reject(file, false, HttpStatus.CONFLICT, "part " + part.getKey() + " has another ETag in storage");
            }
        }
        Part[] parts = wanted.entrySet().stream().map(p -> new Part(p.getKey(), p.getValue())).toArray(Part[]::new);
        store.complete(file.objectKey(), file.uploadId(), parts);
        long size = store.size(file.objectKey());
        if (size != file.size()) {
            throw reject(file, true, HttpStatus.CONFLICT, "the object has " + size + " bytes, " + file.size() + " declared");
        }
        return file;
    }

    /** Whether the object was assembled already, at its declared size (only completion writes it). */
    private boolean assembledBefore(StoredFile file) {
        try {
            return store.size(file.objectKey()) == file.size();
        } catch (ObjectStoreException e) {
            if (e.isNoSuchUpload()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Second step of completion: reads the assembled object back and compares its SHA-256 with the
     * declared one; makes the file available, or rejects it for good. Reading 2 GiB takes seconds:
     * callers run this on a small pool of its own, so verifications cannot take the threads other
     * file requests need.
     */
    public StoredFile verify(StoredFile file) {
        if (file.available()) {
            return file;
        }
        UUID fileId = file.fileId();
        long size = file.size();
        long t0 = System.nanoTime();
        String sha256 = store.sha256(file.objectKey());
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!sha256.equals(file.sha256())) {
            throw reject(file, true, HttpStatus.CONFLICT, "SHA-256 of the uploaded bytes is " + sha256 + ", not the declared "
                    + file.sha256());
        }
        files.finish(fileId, "available", null);
        log.info("file {} available: {} bytes verified in {} s ({} MB/s)", fileId, size, String.format("%.2f", seconds),
                String.format("%.0f", size / 1e6 / Math.max(seconds, 1e-9)));
        return files.find(fileId).orElseThrow();
    }

    /** Aborts uploads past their expiry; returns how many. */
    public int abortExpired(int limit) {
        List<StoredFile> expired = files.expiredUploads(Instant.now(clock), limit);
        for (StoredFile file : expired) {
            try {
                store.abort(file.objectKey(), file.uploadId());
            } catch (ObjectStoreException e) {
                if (!e.isNoSuchUpload()) {
                    throw e;
                }
            }
            files.finish(file.fileId(), "expired", "not completed before " + file.expiresAt());
            log.info("upload of file {} by {} expired at {}: aborted", file.fileId(), file.ownerId(), file.expiresAt());
        }
        return expired.size();
    }

    private ApiException reject(StoredFile file, boolean completed, HttpStatus status, String reason) {
        try {
            if (completed) {
                store.remove(file.objectKey());
            } else {
                store.abort(file.objectKey(), file.uploadId());
            }
        } catch (ObjectStoreException e) {
            log.warn("cleaning up rejected file {} failed ({}); the expiry job retries", file.fileId(), e.getMessage());
        }
        files.finish(file.fileId(), "rejected", reason);
        log.info("file {} rejected: {}", file.fileId(), reason);
        return new ApiException(status, status == HttpStatus.CONFLICT ? "Upload does not match" : "Upload incomplete",
                reason + "; the file cannot be used, start a new upload");
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "").trim();
    }
}

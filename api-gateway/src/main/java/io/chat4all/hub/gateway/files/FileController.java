package io.chat4all.hub.gateway.files;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.ObjectStore;
import io.chat4all.hub.gateway.core.Quotas;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code /v1/files}: presigned multipart uploads straight to object storage, their completion and
 * verification, and short-lived download links for those who may read the file.
 */
@RestController
class FileController {

    private final FileUploads uploads;
    private final FileRepository files;
    private final ObjectStore store;
    private final FileProperties properties;
    private final Scheduler work;
    private final Scheduler hashing;
    private final Quotas quotas;

    FileController(FileUploads uploads, FileRepository files, ObjectStore store, FileProperties properties,
                   @Qualifier("fileWork") Scheduler work, @Qualifier("fileHashing") Scheduler hashing, Quotas quotas) {
        this.hashing = hashing;
        this.quotas = quotas;
        this.uploads = uploads;
        this.files = files;
        this.store = store;
        this.properties = properties;
        this.work = work;
    }

    /** type/subtype and optional parameters, printable ASCII only: it becomes a header of the object. */
    static final String MEDIA_TYPE = "[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;[\\x20-\\x7E]*)?";

    record StartRequest(@NotBlank @Size(max = 255) String filename, @NotNull @Positive Long size,
                        @NotBlank @Size(max = 255) @Pattern(regexp = MEDIA_TYPE,
                                message = "must be a media type (type/subtype[; parameter=value]), printable ASCII")
                        String contentType,
                        @NotNull @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits") String sha256) {
    }

    record PartUrl(int partNumber, String url) {
    }

    /** {@code expires_at}: the upload's deadline; {@code parts_expire_at}: when these part URLs stop working. */
    record Started(UUID fileId, long partSize, List<PartUrl> parts, Instant expiresAt, Instant partsExpireAt) {

        static Started of(FileUploads.Started started, List<Integer> partNumbers) {
            List<PartUrl> parts = new ArrayList<>();
            for (int i = 0; i < started.partUrls().size(); i++) {
                parts.add(new PartUrl(partNumbers == null ? i + 1 : partNumbers.get(i), started.partUrls().get(i)));
            }
            return new Started(started.file().fileId(), started.file().partSize(), parts, started.file().expiresAt(),
                    started.urlsExpireAt());
        }
    }

    record PartsRequest(@NotEmpty @Size(max = 10_000) List<@NotNull Integer> partNumbers) {
    }

    record PartRef(@NotNull Integer partNumber, @NotBlank String etag) {
    }

    record CompleteRequest(@NotEmpty List<@Valid @NotNull PartRef> parts) {
    }

    record Completed(UUID fileId, String status) {
    }

    record FileView(UUID fileId, String filename, String contentType, long size, String sha256, String status,
                    Instant createdAt, String downloadUrl, Instant downloadExpiresAt) {
    }

    @PostMapping(path = "/v1/files", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Started> start(@Valid @RequestBody StartRequest request, @AuthenticationPrincipal HubPrincipal caller) {
        checkFilename(request.filename());
        if (request.size() > properties.maxSize().toBytes()) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "File too large", "size " + request.size()
                    + " is over the limit of " + properties.maxSize().toBytes() + " bytes");
        }
        if (!properties.allows(request.contentType())) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type not allowed", "content_type "
                    + request.contentType() + " is not one of " + properties.contentTypes());
        }
        return blocking(() -> {
            int open = files.uploading(caller.userId());
            if (open >= quotas.concurrentUploads(caller)) {
                throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many uploads", "at most "
                        + quotas.concurrentUploads(caller) + " uploads may be under way at once; complete or abandon one"
                        + " (abandoned uploads end at their expiry)", List.of(), properties.cleanupInterval());
            }
            quotas.enforce(caller, Quotas.Kind.UPLOAD_BYTES, request.size());
            FileUploads.Started started;
            try {
                started = uploads.start(caller.userId(), request.filename(), request.contentType(), request.size(),
                        request.sha256());
            } catch (RuntimeException e) {
                quotas.giveBack(caller, Quotas.Kind.UPLOAD_BYTES, request.size());
                throw e;
            }
            return Started.of(started, null);
        });
    }

    /**
     * {@code POST /v1/files/{file_id}/parts} {@code {part_numbers}}: fresh presigned URLs for parts of
     * an upload under way (part URLs live {@code HUB_FILES_PART_URL_EXPIRY}, the upload longer).
     */
    @PostMapping(path = "/v1/files/{file_id}/parts", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Started> parts(@PathVariable("file_id") UUID fileId, @Valid @RequestBody PartsRequest request,
                        @AuthenticationPrincipal HubPrincipal caller) {
        return blocking(() -> Started.of(uploads.presignAgain(fileId, caller.userId(), request.partNumbers()),
                request.partNumbers()));
    }

    @PostMapping(path = "/v1/files/{file_id}/complete", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Completed> complete(@PathVariable("file_id") UUID fileId, @Valid @RequestBody CompleteRequest request,
                             @AuthenticationPrincipal HubPrincipal caller) {
        List<FileUploads.ClaimedPart> parts = request.parts().stream()
                .map(p -> new FileUploads.ClaimedPart(p.partNumber(), p.etag())).toList();
        return blocking(() -> uploads.assemble(fileId, caller.userId(), parts))
                .flatMap(file -> Mono.fromCallable(() -> uploads.verify(file)).subscribeOn(hashing))
                .map(file -> new Completed(file.fileId(), "available"));
    }

    @GetMapping("/v1/files/{file_id}")
    Mono<FileView> get(@PathVariable("file_id") UUID fileId, @AuthenticationPrincipal HubPrincipal caller) {
        return blocking(() -> {
            StoredFile file = files.find(fileId).filter(f -> files.readableBy(fileId, caller.userId()))
                    .orElseThrow(() -> ApiException.notFound("file " + fileId));
            String url = file.available() ? store.presignDownload(file.objectKey(), file.filename(),
                    properties.downloadExpiry()) : null;
            return new FileView(file.fileId(), file.filename(), file.contentType(), file.size(), file.sha256(),
                    file.state(), file.createdAt(), url, url == null ? null : Instant.now().plus(properties.downloadExpiry()));
        });
    }

    /**
     * A name, not a path: no separators, no dot names, no control characters, and no invisible
     * formatting (bidirectional overrides and isolates, zero-width characters, line separators),
     * which could make {@code invoice‮fdp.exe} show as {@code invoiceexe.pdf}.
     */
    static void checkFilename(String filename) {
        boolean hidden = filename.codePoints().anyMatch(c -> Character.isISOControl(c) || switch (Character.getType(c)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                 Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        });
        if (hidden || filename.contains("/") || filename.contains("\\") || filename.equals(".")
                || filename.equals("..") || filename.isBlank()) {
            throw ApiException.invalid("filename", "must be a plain file name (no path separators, dot names, control or"
                    + " invisible formatting characters such as bidirectional overrides)");
        }
    }

    private <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(work);
    }
}

package io.chat4all.hub.gateway.auth;

import io.chat4all.hub.gateway.auth.ApiKeyRepository.StoredKey;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.Cursors;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Integrator keys (admins): {@code POST /v1/api-keys} makes one (shown once, optionally expiring),
 * {@code GET /v1/api-keys} lists them, {@code DELETE /v1/api-keys/{id}} revokes one and
 * {@code PATCH /v1/api-keys/{id}} hands it to another admin. A key acts for its owner and stops
 * working when the owner is no longer an active admin, unless reassigned first.
 */
@RestController
class ApiKeyController {

    private final ApiKeyRepository apiKeys;
    private final AccessRepository access;
    private final AccessControl accessControl;
    private final Jdbc jdbc;

    ApiKeyController(ApiKeyRepository apiKeys, AccessRepository access, AccessControl accessControl, Jdbc jdbc) {
        this.apiKeys = apiKeys;
        this.access = access;
        this.accessControl = accessControl;
        this.jdbc = jdbc;
    }

    record CreateKeyRequest(@NotBlank @Size(max = 200) String name, Instant expiresAt) {
    }

    record CreatedKey(UUID keyId, String apiKey, Instant expiresAt) {
    }

    record KeyResponse(UUID keyId, String name, UUID ownerId, UUID createdBy, Instant createdAt, Instant expiresAt,
                       Instant revokedAt) {

        static KeyResponse of(StoredKey key) {
            return new KeyResponse(key.keyId(), key.name(), key.ownerId(), key.createdBy(), key.createdAt(), key.expiresAt(),
                    key.revokedAt());
        }
    }

    record KeyPage(List<KeyResponse> apiKeys, String nextCursor) {
    }

    record ReassignRequest(@NotNull UUID ownerId) {
    }

    @PostMapping(path = "/v1/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<CreatedKey> create(@Valid @RequestBody CreateKeyRequest request, @AuthenticationPrincipal HubPrincipal admin) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiException.invalid("expires_at", "must be in the future");
        }
        UUID keyId = UUID.randomUUID();
        String key = ApiKeys.generate();
        return jdbc.call(() -> {
            apiKeys.create(keyId, request.name(), ApiKeys.hash(key), admin.userId(), now, request.expiresAt());
            return new CreatedKey(keyId, key, request.expiresAt());
        });
    }

    @GetMapping("/v1/api-keys")
    Mono<KeyPage> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        int size = Cursors.limit(limit);
        Object[] after = Cursors.decode(cursor, parts -> new Object[] {Instant.parse(parts.get(0)), UUID.fromString(parts.get(1))});
        return jdbc.call(() -> apiKeys.page(after == null ? null : (Instant) after[0], after == null ? null : (UUID) after[1], size))
                .map(keys -> {
                    StoredKey last = keys.size() < size ? null : keys.get(keys.size() - 1);
                    return new KeyPage(keys.stream().map(KeyResponse::of).toList(),
                            last == null ? null : Cursors.encode(last.createdAt().toString(), last.keyId().toString()));
                });
    }

    /** Revokes a key: refused at once on this instance, within a poll interval on the others. Idempotent. */
    @DeleteMapping("/v1/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> revoke(@PathVariable("id") UUID keyId) {
        return jdbc.call(() -> apiKeys.revoke(keyId).orElseThrow(() -> ApiException.notFound("API key " + keyId)))
                .doOnNext(revoked -> accessControl.changed(revoked.access())).then();
    }

    /** Hands a key to another active admin, so it outlives its maker's admin rights. */
    @PatchMapping(path = "/v1/api-keys/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<KeyResponse> reassign(@PathVariable("id") UUID keyId, @Valid @RequestBody ReassignRequest request) {
        return jdbc.call(() -> {
            AccessRepository.UserAccess owner = access.user(request.ownerId())
                    .filter(user -> user.active() && user.role() == Role.ADMIN)
                    .orElseThrow(() -> ApiException.invalid("owner_id", "must be an active admin"));
            accessControl.changed(owner);
            return apiKeys.reassign(keyId, owner.userId()).orElseThrow(() -> ApiException.notFound("API key " + keyId));
        }).doOnNext(key -> accessControl.changed(key.access())).map(KeyResponse::of);
    }
}

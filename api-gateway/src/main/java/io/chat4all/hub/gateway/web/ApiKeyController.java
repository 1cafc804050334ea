package io.chat4all.hub.gateway.web;

import io.chat4all.hub.gateway.persistence.ApiKeyRepository;
import io.chat4all.hub.gateway.persistence.Jdbc;
import io.chat4all.hub.gateway.security.ApiKeys;
import io.chat4all.hub.gateway.security.HubPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /v1/api-keys} (admins): a new integrator key, shown once. */
@RestController
class ApiKeyController {

    private final ApiKeyRepository apiKeys;
    private final Jdbc jdbc;

    ApiKeyController(ApiKeyRepository apiKeys, Jdbc jdbc) {
        this.apiKeys = apiKeys;
        this.jdbc = jdbc;
    }

    record CreateKeyRequest(@NotBlank @Size(max = 200) String name) {
    }

    record CreatedKey(UUID keyId, String apiKey) {
    }

    @PostMapping(path = "/v1/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<CreatedKey> create(@Valid @RequestBody CreateKeyRequest request, @AuthenticationPrincipal HubPrincipal admin) {
        UUID keyId = UUID.randomUUID();
        String key = ApiKeys.generate();
        return jdbc.call(() -> {
            apiKeys.create(keyId, request.name(), ApiKeys.hash(key), admin.userId(), Instant.now());
            return new CreatedKey(keyId, key);
        });
    }
}

package io.chat4all.hub.gateway.auth;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.users.UserRepository;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/auth/token}: username and password for an access token. Failed attempts are
 * limited per address and per username ({@link LoginThrottle}): beyond them, 429 with Retry-After.
 * {@code POST /v1/auth/logout}: signs the token (or all of the user's tokens) out.
 */
@RestController
class AuthController {

    private final UserRepository users;
    private final PasswordHashing hashing;
    private final TokenService tokens;
    private final Jdbc jdbc;
    private final LoginThrottle throttle;
    private final AccessRepository access;
    private final AccessControl accessControl;
    /** Compared against when the user does not exist, so both failures take as long. */
    private final String decoyHash;

    AuthController(UserRepository users, PasswordEncoder passwords, PasswordHashing hashing, TokenService tokens, Jdbc jdbc,
                   LoginThrottle throttle, AccessRepository access, AccessControl accessControl) {
        this.users = users;
        this.access = access;
        this.accessControl = accessControl;
        this.throttle = throttle;
        this.hashing = hashing;
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.decoyHash = passwords.encode("decoy-password-that-never-matches");
    }

    record TokenRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 72) String password) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @PostMapping(path = "/v1/auth/token", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<TokenResponse> token(@Valid @RequestBody TokenRequest request, ServerHttpRequest http) {
        String username = request.username().toLowerCase(Locale.ROOT);
        String address = http.getRemoteAddress() == null || http.getRemoteAddress().getAddress() == null ? "unknown"
                : http.getRemoteAddress().getAddress().getHostAddress();
        Optional<Duration> wait = throttle.check(username, address);
        if (wait.isPresent()) {
            return Mono.error(new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "too many failed sign-ins; try again later", List.of(), wait.get()));
        }
        return jdbc.call(() -> users.findCredentials(request.username())).flatMap(credentials -> hashing
                .matches(request.password(), credentials.map(UserRepository.Credentials::passwordHash).orElse(decoyHash))
                .map(matches -> {
                    if (credentials.isEmpty() || !matches) {
                        throttle.failed(username, address);
                        throw new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", "wrong username or password");
                    }
                    throttle.succeeded(username, address);
                    UserRepository.Credentials user = credentials.get();
                    TokenService.IssuedToken token = tokens.issue(user.userId(), user.username(), user.role(), user.tokenVersion());
                    return new TokenResponse(token.value(), "Bearer", token.expiresIn().toSeconds());
                }));
    }

    /** {@code everywhere}: every token of the user, on every device, not only the one presented. */
    record LogoutRequest(Boolean everywhere) {
    }

    /**
     * {@code POST /v1/auth/logout}: the presented token stops working at once on this instance and
     * within a poll interval on the others; with {@code everywhere}, all of the user's tokens do.
     * Open streams authenticated with them end ({@code revoked}). API keys are revoked with
     * {@code DELETE /v1/api-keys/{id}} instead.
     */
    @PostMapping(path = "/v1/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> logout(@RequestBody(required = false) LogoutRequest request, @AuthenticationPrincipal HubPrincipal caller) {
        if (!(caller.credential() instanceof HubPrincipal.Token token)) {
            return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "Forbidden",
                    "an API key is not signed out; an admin revokes it with DELETE /v1/api-keys/{id}"));
        }
        boolean everywhere = request != null && Boolean.TRUE.equals(request.everywhere());
        return jdbc.call(() -> {
            access.revokeToken(token.tokenId(), caller.userId(), token.expiresAt());
            return everywhere ? access.bumpTokenVersion(caller.userId()) : Optional.<AccessRepository.UserAccess>empty();
        }).doOnNext(changed -> {
            accessControl.signedOut(token.tokenId(), token.expiresAt());
            changed.ifPresent(accessControl::changed);
        }).then();
    }
}

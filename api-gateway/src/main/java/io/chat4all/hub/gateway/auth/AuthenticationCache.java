package io.chat4all.hub.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Remembers who a bearer token authenticated, so a client's next requests skip the signature
 * check (JWT) or the database (API key). The key is the whole token, signature included: a token
 * that differs in one byte is a miss and verified in full. An entry lives until its token expires
 * (a JWT's {@code exp}) or for {@code apiKeyTtl} (an API key: how long a revoked key may still
 * work on this instance), whichever the authentication names in its details; the cache holds at
 * most {@code maximumSize} tokens, least recently used out first. Failures are not cached. The end
 * is checked against the clock on every hit; the cache's own expiry only frees the memory.
 */
final class AuthenticationCache implements ReactiveAuthenticationManager {

    /** When an authentication stops being valid: the {@code details} of the authentication this cache keeps. */
    record ValidUntil(Instant instant) {
    }

    private final ReactiveAuthenticationManager delegate;
    private final Cache<String, Authentication> cache;
    private final Clock clock;

    AuthenticationCache(ReactiveAuthenticationManager delegate, long maximumSize, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new Expiry<String, Authentication>() {
                    @Override
                    public long expireAfterCreate(String token, Authentication authentication, long currentTime) {
                        return remaining(authentication);
                    }

                    @Override
                    public long expireAfterUpdate(String token, Authentication authentication, long currentTime,
                                                  long currentDuration) {
                        return remaining(authentication);
                    }

                    @Override
                    public long expireAfterRead(String token, Authentication authentication, long currentTime,
                                                long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** Marks {@code authentication} as valid until {@code until} (what this cache reads). */
    static <A extends AbstractAuthenticationToken> A validUntil(A authentication, Instant until) {
        authentication.setDetails(new ValidUntil(until));
        return authentication;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        Authentication known = cache.getIfPresent(token);
        if (known != null && remaining(known) > 0) {
            return Mono.just(known);
        }
        return delegate.authenticate(authentication).doOnNext(authenticated -> {
            if (authenticated.getDetails() instanceof ValidUntil) {
                cache.put(token, authenticated);
            }
        });
    }

    private long remaining(Authentication authentication) {
        Instant until = ((ValidUntil) authentication.getDetails()).instant();
        return Math.max(0, Duration.between(clock.instant(), until).toNanos());
    }

    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}

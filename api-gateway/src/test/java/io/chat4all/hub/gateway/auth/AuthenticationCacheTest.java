package io.chat4all.hub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Role;
import io.chat4all.hub.localstack.junit.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.publisher.Mono;

class AuthenticationCacheTest {

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final List<String> verified = new ArrayList<>();

    private final AuthenticationCache cache = new AuthenticationCache(authentication -> {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        verified.add(token);
        if (token.startsWith("bad")) {
            return Mono.error(new InvalidBearerTokenException("bad token"));
        }
        UsernamePasswordAuthenticationToken user = UsernamePasswordAuthenticationToken.authenticated(
                new HubPrincipal(UUID.randomUUID(), token, Role.USER, new HubPrincipal.Key(UUID.randomUUID())), null, List.of());
        return Mono.just(token.startsWith("forever") ? user
                : AuthenticationCache.validUntil(user, clock.instant().plus(Duration.ofMinutes(10))));
    }, 100, clock);

    @Test
    void shouldVerifyATokenOnceUntilItExpires() {
        HubPrincipal first = principal("token-a");
        HubPrincipal again = principal("token-a");
        principal("token-b");

        assertThat(again).isSameAs(first);
        assertThat(verified).containsExactly("token-a", "token-b");

        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(principal("token-a")).as("verified again once expired").isNotSameAs(first);
        assertThat(verified).containsExactly("token-a", "token-b", "token-a");
    }

    @Test
    void shouldNeverRememberAFailureOrAnAuthenticationWithoutAnEnd() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> principal("bad-token")).isInstanceOf(InvalidBearerTokenException.class);
            principal("forever-token");
        }
        assertThat(verified).containsExactly("bad-token", "forever-token", "bad-token", "forever-token");
        assertThat(cache.size()).isZero();
    }

    private HubPrincipal principal(String token) {
        return (HubPrincipal) cache.authenticate(new BearerTokenAuthenticationToken(token)).block().getPrincipal();
    }
}

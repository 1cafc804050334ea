package io.chat4all.hub.simulator.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bearer token checks of the provider endpoints. */
class AccessTokensTest {

    @Test
    void shouldAcceptAnyNonEmptyBearerTokenWhenNoneIsConfigured() {
        AccessTokens tokens = new AccessTokens("");

        assertThatCode(() -> tokens.check("Bearer anything")).doesNotThrowAnyException();
        assertThatThrownBy(() -> tokens.check("Bearer ")).isInstanceOf(GraphException.class);
        assertThatThrownBy(() -> tokens.check(null)).isInstanceOf(GraphException.class);
        assertThatThrownBy(() -> tokens.check("Basic dXNlcjpwYXNz")).isInstanceOf(GraphException.class);
    }

    @Test
    void shouldAcceptOnlyTheConfiguredTokenWhenOneIsConfigured() {
        AccessTokens tokens = new AccessTokens("EAAG-secret");

        assertThatCode(() -> tokens.check("Bearer EAAG-secret")).doesNotThrowAnyException();
        assertThatThrownBy(() -> tokens.check("Bearer EAAG-other")).isInstanceOf(GraphException.class)
                .extracting(e -> ((GraphException) e).error().code()).isEqualTo(190);
    }
}

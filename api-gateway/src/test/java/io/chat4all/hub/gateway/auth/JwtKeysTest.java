package io.chat4all.hub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JwtKeysTest {

    @Test
    void shouldRefuseToStartWithoutKeysUnlessEphemeralKeysAreAllowed() {
        assertThatThrownBy(() -> JwtKeys.parse("")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HUB_JWT_KEYS is not set");
        assertThatThrownBy(() -> JwtKeys.parse(null)).isInstanceOf(IllegalStateException.class);
        assertThat(JwtKeys.parse(null, true).signingKeyId()).isEqualTo("ephemeral");
    }

    @Test
    void shouldSignWithTheLastKeyAndRefuseShortSecrets() {
        JwtKeys keys = JwtKeys.parse("a:first-secret-that-is-at-least-32-bytes,b:second-secret-that-is-at-least-32-bytes");
        assertThat(keys.signingKeyId()).isEqualTo("b");
        assertThat(keys.all()).containsOnlyKeys("a", "b");
        assertThatThrownBy(() -> JwtKeys.parse("a:short")).hasMessageContaining("at least 32");
    }
}

package io.chat4all.hub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void shouldEscapeEverythingThatCouldForgeOrHideALogLine() {
        assertThat(LogSafe.quote("subscribe\r\n2026-12-07T00:00:00Z ERROR forged"))
                .isEqualTo("\"subscribe\\u000d\\u000a2026-12-07T00:00:00Z ERROR forged\"")
                .doesNotContain("\n", "\r");
        assertThat(LogSafe.quote("a\u202eb\u2028c\u0000d\"e\\")).isEqualTo("\"a\\u202eb\\u2028c\\u0000d\\\"e\\\\\"");
        assertThat(LogSafe.quote("olá subscribe")).isEqualTo("\"olá subscribe\"");
        assertThat(LogSafe.quote(null)).isEqualTo("null");
    }

    @Test
    void shouldCutLongValues() {
        String quoted = LogSafe.quote("x".repeat(10_000));
        assertThat(quoted).hasSize(LogSafe.MAX + 3).endsWith("…\"");
    }
}

package io.chat4all.hub.channel.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void shouldAllowExactlyMaxAttempts() {
        assertThat(policy.allowsAnotherAfter(1)).isTrue();
        assertThat(policy.allowsAnotherAfter(3)).isTrue();
        assertThat(policy.allowsAnotherAfter(4)).isFalse();
    }

    @RepeatedTest(20)
    void shouldBackOffExponentiallyWithJitterUpToTheCap() {
        assertThat(policy.backoffAfter(1, null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(policy.backoffAfter(2, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(policy.backoffAfter(10, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void shouldWaitAtLeastWhatTheProviderAsked() {
        assertThat(policy.backoffAfter(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }
}

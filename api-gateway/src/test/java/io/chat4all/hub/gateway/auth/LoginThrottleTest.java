package io.chat4all.hub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.gateway.core.GatewayProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sign-in limits on their own, with addresses a test on loopback cannot have. */
class LoginThrottleTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private LoginThrottle throttle(Duration window) {
        return new LoginThrottle(new GatewayProperties.LoginLimits(1000, 3, 5, window, 0), meters);
    }

    @Test
    void shouldLimitAUsernameGuessedFromManyAddressesButNotAtTheAddressItSignedInFrom() {
        LoginThrottle throttle = throttle(Duration.ofMinutes(15));
        throttle.succeeded("victim", "203.0.113.7");
        for (int i = 1; i <= 5; i++) {
            assertThat(throttle.check("victim", "198.51.100." + i)).isEmpty();
            throttle.failed("victim", "198.51.100." + i);
        }

        assertThat(throttle.check("victim", "198.51.100.99")).as("a new address once the username's bucket is empty")
                .hasValueSatisfying(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15)));
        assertThat(throttle.check("victim", "203.0.113.7")).as("the victim's own address").isEmpty();
        assertThat(throttle.check("someone-else", "198.51.100.99")).isEmpty();
        assertThat(meters.get("hub.gateway.login.throttled").tag("limit", "user").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldLimitOneUsernameFromOneAddressAndForgiveItsFailuresOnASuccessfulSignIn() {
        LoginThrottle throttle = throttle(Duration.ofMinutes(15));
        fail(throttle, "alice", "192.0.2.1", 3);
        assertThat(throttle.check("alice", "192.0.2.1")).isPresent();
        assertThat(throttle.check("alice", "192.0.2.2")).isEmpty();

        throttle.succeeded("alice", "192.0.2.2");
        fail(throttle, "alice", "192.0.2.2", 2);
        throttle.succeeded("alice", "192.0.2.2");
        fail(throttle, "alice", "192.0.2.2", 2);
        assertThat(throttle.check("alice", "192.0.2.2")).as("two failures since the last success, three allowed").isEmpty();
    }

    @Test
    void shouldEndEveryLockWhenTheBucketRefills() {
        LoginThrottle throttle = throttle(Duration.ofMillis(600));
        fail(throttle, "bob", "192.0.2.9", 3);
        assertThat(throttle.check("bob", "192.0.2.9")).isPresent();

        await().atMost(Duration.ofSeconds(5)).until(() -> throttle.check("bob", "192.0.2.9").isEmpty());
    }

    private static void fail(LoginThrottle throttle, String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(username, address);
        }
    }
}

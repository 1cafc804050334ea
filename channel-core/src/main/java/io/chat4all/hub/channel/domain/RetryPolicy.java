package io.chat4all.hub.channel.domain;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential backoff and jitter (a random wait between half and all of the
 * exponential step), so adapters that were throttled together do not retry together. A provider's
 * {@code Retry-After} is honoured as a floor.
 *
 * @param maxAttempts attempts in all, the first included
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    /** True when attempt number {@code attempt} (1-based) failed and another one is allowed. */
    public boolean allowsAnotherAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** How long to wait after failed attempt {@code attempt} (1-based). */
    public Duration backoffAfter(int attempt, Duration retryAfter) {
        long step = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long cap = Math.min(step, maxBackoff.toMillis());
        long jittered = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        long floor = retryAfter == null ? 0 : retryAfter.toMillis();
        return Duration.ofMillis(Math.max(jittered, floor));
    }
}

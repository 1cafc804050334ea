package io.chat4all.hub.channel.domain;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up. A caller
 * reserves a token under the lock and waits for it outside the lock, so waiting callers queue in
 * reservation order and the long-run rate never exceeds the configured one.
 */
public final class TokenBucket {

    private final double nanosPerToken;
    private final double burst;
    private final LongSupplier clock;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    TokenBucket(double ratePerSecond, int burst, LongSupplier clock) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.nanosPerToken = 1_000_000_000d / ratePerSecond;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.refilledAt = clock.getAsLong();
    }

    /** Takes one token, waiting as long as needed; returns how long it waited. */
    public Duration acquire() {
        long wait = reserve();
        if (wait > 0) {
            long deadline = System.nanoTime() + wait;
            for (long left = wait; left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return Duration.ofNanos(wait);
    }

    /** Takes one token (possibly borrowed from the future) and returns the nanoseconds until it is due. */
    synchronized long reserve() {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * nanosPerToken);
    }
}

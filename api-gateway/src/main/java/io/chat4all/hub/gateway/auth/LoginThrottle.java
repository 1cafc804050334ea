package io.chat4all.hub.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chat4all.hub.gateway.core.GatewayProperties;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Brute-force limits on {@code POST /v1/auth/token}: token buckets (Bucket4j) of failed sign-ins,
 * checked before the password is, so a guesser gets {@code 429} and no answer about the password.
 *
 * <ul>
 *   <li>per client address: a guesser trying many usernames from one address;</li>
 *   <li>per username and address: a guesser working on one account;</li>
 *   <li>per username from any address, except addresses this username signed in from before: a
 *       guesser spread over many addresses. The exception is what keeps the lock from being a
 *       weapon: the victim's own address is not counted against them.</li>
 * </ul>
 *
 * Only failures take tokens, and buckets refill over {@code window}: a lock always ends, and a
 * user who knows their password is never limited by their own successful sign-ins. The buckets
 * live in this instance (forgotten after {@code window} without failures), so N gateway
 * instances behind a balancer allow up to N times the limits; the bcrypt pool bounds the CPU a
 * sign-in storm can take either way ({@link PasswordHashing}).
 */
public final class LoginThrottle {

    /** Addresses remembered as a username's own, at most (oldest forgotten first). */
    private static final int KNOWN_ADDRESSES = 200_000;
    private static final Duration KNOWN_FOR = Duration.ofDays(30);

    private final GatewayProperties.LoginLimits limits;
    private final Cache<String, Bucket> byAddress;
    private final Cache<String, Bucket> byUserAndAddress;
    private final Cache<String, Bucket> byUser;
    private final Cache<String, Boolean> knownAddresses;
    private final Map<String, Counter> throttled;

    public LoginThrottle(GatewayProperties.LoginLimits limits, MeterRegistry meters) {
        this.limits = limits;
        this.byAddress = buckets(limits);
        this.byUserAndAddress = buckets(limits);
        this.byUser = buckets(limits);
        this.knownAddresses = Caffeine.newBuilder().maximumSize(KNOWN_ADDRESSES).expireAfterWrite(KNOWN_FOR).build();
        this.throttled = Map.of("address", counter(meters, "address"), "user_and_address", counter(meters, "user_and_address"),
                "user", counter(meters, "user"));
    }

    /**
     * Before the password is checked.
     *
     * @return how long to wait when a limit is reached (answer 429 with it as Retry-After), empty when not
     */
    public Optional<Duration> check(String username, String address) {
        String userAndAddress = key(username, address);
        Duration wait = waitFor(byAddress, address, "address");
        wait = longer(wait, waitFor(byUserAndAddress, userAndAddress, "user_and_address"));
        if (knownAddresses.getIfPresent(userAndAddress) == null) {
            wait = longer(wait, waitFor(byUser, username, "user"));
        }
        return Optional.ofNullable(wait);
    }

    /** A wrong username or password: one token from every bucket that applies. */
    public void failed(String username, String address) {
        String userAndAddress = key(username, address);
        take(byAddress, address, limits.perAddress());
        take(byUserAndAddress, userAndAddress, limits.perUserAndAddress());
        if (knownAddresses.getIfPresent(userAndAddress) == null) {
            take(byUser, username, limits.perUser());
        }
    }

    /** A successful sign-in: the address becomes one of the username's own, its failures forgiven. */
    public void succeeded(String username, String address) {
        String userAndAddress = key(username, address);
        knownAddresses.put(userAndAddress, Boolean.TRUE);
        byUserAndAddress.invalidate(userAndAddress);
    }

    private static String key(String username, String address) {
        return username + '\u0000' + address;
    }

    private Duration waitFor(Cache<String, Bucket> buckets, String key, String limit) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return null;
        }
        var probe = bucket.estimateAbilityToConsume(1);
        if (probe.canBeConsumed()) {
            return null;
        }
        throttled.get(limit).increment();
        return Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    private void take(Cache<String, Bucket> buckets, String key, int failures) {
        buckets.get(key, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(failures).refillGreedy(failures, limits.window())).build()).tryConsume(1);
    }

    private static Cache<String, Bucket> buckets(GatewayProperties.LoginLimits limits) {
        return Caffeine.newBuilder().maximumSize(limits.trackedKeys()).expireAfterAccess(limits.window()).build();
    }

    private static Duration longer(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    private static Counter counter(MeterRegistry meters, String limit) {
        return Counter.builder("hub.gateway.login.throttled").tag("limit", limit)
                .description("Sign-ins refused with 429 because a limit of failed attempts was reached").register(meters);
    }
}
